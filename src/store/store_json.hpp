#pragma once
// The store's small JSON documents: objects whose members are scalars or objects of
// scalars, written with the one JSON writer and read with the JSON scanner.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <kelias/version.hpp>

KELIAS_BEGIN_NAMESPACE
namespace detail {

/// `{"a":"x","b":{"c":"y"}}`: scalars as cell text (numbers and true/false as spelled,
/// null omitted), objects of scalars.
struct FlatDocument {
    std::map<std::string, std::string> scalars;
    std::map<std::string, std::map<std::string, std::string>> objects;
    const std::string* find(std::string_view key) const {
        auto it = scalars.find(std::string(key));
        return it == scalars.end() ? nullptr : &it->second;
    }
};

/// Reads one; nullopt (with `error` set) when the text is not UTF-8, not such an object, or
/// a key repeats.
std::optional<FlatDocument> read_flat_document(std::string_view text, std::string* error = nullptr);

/// Writes `{"k":"v",...}` in the given order (every value a string).
std::string flat_json(const std::vector<std::pair<std::string, std::string>>& members);

}  // namespace detail
KELIAS_END_NAMESPACE
