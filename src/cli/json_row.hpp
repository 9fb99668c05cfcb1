#pragma once
/// \file json_row.hpp
/// Reading one JSONL line (a flat JSON object) event by event, without building a document.
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace kelias::cli {

/// What a flat JSON object holds, member by member.
struct JsonMemberSink {
    virtual ~JsonMemberSink() = default;
    /// A member with a scalar value as cell text; nullopt for `null`. False stops reading.
    virtual bool scalar(std::string_view key, std::optional<std::string_view> text) = 0;
    /// A member whose value is an array or an object.
    virtual void nested(std::string_view key) = 0;
};

/// nlohmann::json SAX handler that passes the members of the top-level object to a sink.
/// A DOM per line would allocate a map node and a string per member.
class JsonObjectReader {
public:
    using number_integer_t = nlohmann::json::number_integer_t;
    using number_unsigned_t = nlohmann::json::number_unsigned_t;
    using number_float_t = nlohmann::json::number_float_t;
    using string_t = nlohmann::json::string_t;
    using binary_t = nlohmann::json::binary_t;

    explicit JsonObjectReader(JsonMemberSink& sink) : sink_(sink) {}

    /// Parses `line`; false when it is not a JSON object or the sink stopped.
    bool read(std::string_view line) {
        return nlohmann::json::sax_parse(line.begin(), line.end(), this) && is_object_;
    }

    bool null() { return value(std::nullopt); }
    bool boolean(bool v) { return value(v ? std::string_view("true") : std::string_view("false")); }
    bool number_integer(number_integer_t v) { return integer(v); }
    bool number_unsigned(number_unsigned_t v) { return integer(v); }
    bool number_float(number_float_t, const string_t& text) { return value(std::string_view(text)); }
    bool string(string_t& v) { return value(std::string_view(v)); }
    bool binary(binary_t&) { return value(std::nullopt); }
    bool start_object(std::size_t) { return open(true); }
    bool end_object() { return close(); }
    bool start_array(std::size_t) { return open(false); }
    bool end_array() { return close(); }
    bool key(string_t& k) {
        if (depth_ == 1) key_.swap(k);
        return true;
    }
    template <class Exception>
    bool parse_error(std::size_t, const std::string&, const Exception&) {
        return false;
    }

private:
    template <class Integer>
    bool integer(Integer v) {
        char text[24];
        const auto end = std::to_chars(text, text + sizeof text, v).ptr;
        return value(std::string_view(text, static_cast<std::size_t>(end - text)));
    }

    bool value(std::optional<std::string_view> text) {
        if (depth_ == 0) return false;  // a bare scalar, not an object
        return depth_ > 1 || sink_.scalar(key_, text);
    }

    bool open(bool object) {
        if (depth_ == 0) {
            if (!object) return false;
            is_object_ = true;
        } else if (depth_ == 1) {
            sink_.nested(key_);
        }
        ++depth_;
        return true;
    }

    bool close() {
        --depth_;
        return true;
    }

    JsonMemberSink& sink_;
    std::string key_;
    int depth_ = 0;
    bool is_object_ = false;
};

}  // namespace kelias::cli
