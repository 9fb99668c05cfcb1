#include "store/store_json.hpp"

#include "base/json_scanner.hpp"
#include "base/json_writer.hpp"
#include "base/text.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {

std::optional<FlatDocument> read_flat_document(std::string_view text, std::string* error) {
    JsonScanner s(text);
    FlatDocument out;
    auto failed = [&](std::string why) -> std::optional<FlatDocument> {
        if (error) *error = s.failed() ? s.error() : std::move(why);
        return std::nullopt;
    };
    // Every string is kept as read and written back with the JSON writer, which turns a
    // byte that is not UTF-8 into U+FFFD: such text would not be kept as read.
    if (const std::size_t bad = first_invalid_utf8(text); bad != text.size())
        return failed("not UTF-8 (byte " + std::to_string(bad + 1) + ")");
    if (!s.enter_object()) return failed("not a JSON object");
    bool first = true;
    std::string_view key;
    while (s.next_key(first, key)) {
        std::string k(key);
        if (out.scalars.count(k) || out.objects.count(k)) return failed("the key '" + k + "' is given twice");
        if (s.peek() == JsonScanner::Kind::object) {
            if (!s.enter_object()) return failed("");
            auto& inner = out.objects[k];
            bool first_inner = true;
            std::string_view inner_key;
            while (s.next_key(first_inner, inner_key)) {
                std::string ik(inner_key);
                if (inner.count(ik)) return failed("the key '" + k + "." + ik + "' is given twice");
                std::optional<std::string_view> v;
                if (!s.read_scalar(v)) return failed("'" + k + "." + ik + "' is not a scalar");
                if (v) inner.emplace(std::move(ik), std::string(*v));
            }
            if (s.failed()) return failed("");
            continue;
        }
        std::optional<std::string_view> v;
        if (!s.read_scalar(v)) return failed("'" + k + "' is not a scalar or an object of scalars");
        if (v) out.scalars.emplace(std::move(k), std::string(*v));
    }
    if (s.failed() || !s.finish()) return failed("");
    return out;
}

std::string flat_json(const std::vector<std::pair<std::string, std::string>>& members) {
    std::string out;
    JsonWriter w(out);
    w.begin_object();
    for (const auto& [k, v] : members) w.key(k).string(v);
    w.end_object();
    return out;
}

}  // namespace detail
KELIAS_END_NAMESPACE
