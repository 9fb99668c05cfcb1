#pragma once
// The one JSON writer of the project: every JSON the library and the CLI produce (decisions,
// explanations, descriptions, scores, cases) goes through it, so every output escapes the
// same way and is always valid JSON.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <kelias/version.hpp>

KELIAS_BEGIN_NAMESPACE
namespace detail {

/// Appends `s` as a JSON string literal, quotes included. Control characters are escaped;
/// bytes that are not valid UTF-8 become U+FFFD, so the output is valid JSON whatever the
/// input (readers reject such ids before they get here; this is the last line of defence).
void append_json_string(std::string& out, std::string_view s);

/// Writes one JSON value into a string, keeping track of commas.
///
/// ```
/// JsonWriter w(out);
/// w.begin_object().key("case").string(id).key("as_of").null().end_object();
/// ```
class JsonWriter {
public:
    explicit JsonWriter(std::string& out) : out_(out) {}

    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    JsonWriter& key(std::string_view k);
    JsonWriter& string(std::string_view s);
    /// Finite numbers in their shortest round-trip form; NaN and infinities as null.
    JsonWriter& number(double v);
    JsonWriter& integer(std::int64_t v);
    JsonWriter& boolean(bool v);
    JsonWriter& null();
    /// A value already written as JSON by this writer (a cached fragment).
    JsonWriter& raw(std::string_view json);

private:
    void separate();

    std::string& out_;
    std::vector<bool> first_;  // per open container: nothing written in it yet
    bool after_key_ = false;
};

}  // namespace detail
KELIAS_END_NAMESPACE
