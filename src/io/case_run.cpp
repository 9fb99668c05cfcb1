// decide_jsonl(): cases as JSON lines, decided in chunks by several workers while the
// previous chunk is written, in input order.
#include <kelias/case_io.hpp>

#include <algorithm>
#include <cstring>
#include <future>
#include <thread>
#include <unordered_map>

#include "base/json_writer.hpp"
#include "base/seen_ids.hpp"
#include "base/text.hpp"
#include "io/csv.hpp"
#include "io/input_source.hpp"

KELIAS_BEGIN_NAMESPACE
namespace {

using detail::Record;
using detail::RecordScanner;

constexpr std::size_t block_bytes = std::size_t{16} << 20;
constexpr std::size_t described_duplicates = 10;

/// Decisions only, from the columnar path: one short line per case, from fragments made
/// once (programmes in report order).
class BriefWriter {
public:
    BriefWriter(const RuleSet& rules, DecisionFormat format) : json_(format == DecisionFormat::json) {
        const auto programmes = rules.programmes();
        order_.assign(rules.report_order().begin(), rules.report_order().end());
        std::string pinned;
        detail::JsonWriter w(pinned);
        w.raw(",").key("rules").string(rules.key()).raw(",").key("hash").string(rules.hash()).raw(",").key("decisions");
        pinned_ = pinned + "[";
        for (std::size_t k = 0; k < order_.size(); ++k)
            for (Decision d : {Decision::eligible, Decision::not_eligible, Decision::undetermined}) {
                const std::string& id = programmes[order_[k]].id;
                std::string fragment;
                if (json_) {
                    detail::JsonWriter f(fragment);
                    if (k) f.raw(",");
                    f.begin_object().key("programme").string(id).key("decision").string(to_string(d)).end_object();
                } else {
                    fragment = " " + id + "=" + std::string(to_string(d));
                }
                fragments_.push_back(std::move(fragment));
            }
    }

    void write(const RuleSet& rules, const CaseBatch& batch, std::string& out) const {
        const DecisionTable m = decide_columns(rules, batch, 1);
        for (std::size_t r = 0; r < batch.rows(); ++r) {
            if (json_) {
                detail::JsonWriter w(out);
                w.begin_object().key("case").string(batch.id(r)).key("as_of");
                if (const auto as_of = batch.as_of(r))
                    w.string(to_string(*as_of));
                else
                    w.null();
                out += pinned_;
            } else {
                out += batch.id(r);
                out += ':';
            }
            for (std::size_t k = 0; k < order_.size(); ++k)
                out += fragments_[3 * k + static_cast<std::size_t>(m(r, order_[k]))];
            out += json_ ? "]}\n" : "\n";
        }
    }

private:
    bool json_;
    std::vector<std::size_t> order_;
    std::string pinned_;
    std::vector<std::string> fragments_;  // per position in order_, per decision
};

// One part of a chunk of lines, decided by one worker.
struct DecidedPart {
    std::string output;
    std::vector<CaseReject> rejects;
    std::vector<std::pair<std::string, std::size_t>> ids;  // (id, line) of the cases decided
    std::size_t decided = 0;
};

DecidedPart decide_part(const RuleSet& rules, const DecideRunOptions& o, const BriefWriter* brief,
                        std::span<const Record> lines) {
    DecidedPart part;
    CaseBatch batch(rules);
    std::vector<std::size_t> line_of;
    for (const Record& line : lines) {
        if (line.text.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        JsonCaseAdded added = batch.add_json(line.text, o.as_of);
        if (!added) {
            std::string reason;
            for (const auto& p : added.problems)
                reason += (reason.empty() ? "" : "; ") + p.message + (p.hint.empty() ? "" : " (" + p.hint + ")");
            part.rejects.push_back({line.line, detail::for_message(added.case_id), std::move(reason)});
            continue;
        }
        line_of.push_back(line.line);
    }
    part.decided = batch.rows();
    for (std::size_t r = 0; r < batch.rows(); ++r) part.ids.emplace_back(batch.id(r), line_of[r]);
    if (brief) {
        brief->write(rules, batch, part.output);
    } else {
        for (const auto& d : decide_batch(rules, batch, {.earliest_dates = o.earliest_dates, .threads = 1}))
            part.output += render(d, o.format, o.explain, o.language);
    }
    return part;
}

class DecideRun {
public:
    DecideRun(const RuleSet& rules, detail::InputSource input, OutputFile& out, const DecideRunOptions& options,
              const DecideRunEvents& events)
        : rules_(rules), input_(std::move(input)), out_(out), options_(options), events_(events),
          scanner_(RecordScanner::Mode::lines) {
        if (options.brief) brief_.emplace(rules, options.format);
    }

    Result<DecideRunSummary> run() {
        const unsigned workers =
            std::max(1u, options_.threads ? options_.threads : std::thread::hardware_concurrency());
        std::vector<DecidedPart> written;  // the previous chunk, written while the next is decided
        for (;;) {
            std::vector<Record> lines;
            if (auto read = next_lines(lines); !read) return read.error();
            if (lines.empty()) break;
            std::vector<std::future<DecidedPart>> parts;
            const std::span<const Record> all(lines);
            for (unsigned k = 0; k < workers; ++k) {
                const std::size_t begin = lines.size() * k / workers, end = lines.size() * (k + 1) / workers;
                if (begin == end) continue;
                parts.push_back(std::async(std::launch::async, decide_part, std::cref(rules_), std::cref(options_),
                                           brief_ ? &*brief_ : nullptr, all.subspan(begin, end - begin)));
            }
            const auto problem = write(written);
            written.clear();
            for (auto& p : parts) written.push_back(p.get());
            if (problem) return std::vector<Diagnostic>{*problem};
        }
        if (auto problem = write(written)) return std::vector<Diagnostic>{*problem};
        if (duplicates_ > described_duplicates && events_.warning)
            events_.warning(
                {Severity::warning,
                 DiagnosticCode::duplicate_row_id,
                 std::to_string(duplicates_ - described_duplicates) + " more cases repeat the id of an earlier case",
                 {},
                 {}});
        return summary_;
    }

private:
    // The next chunk of lines; they point into the block buffer until the next call.
    Result<bool> next_lines(std::vector<Record>& lines) {
        for (;;) {
            scanner_.scan({buffer_.data(), buffer_.size()}, options_.chunk_lines, eof_, lines);
            for (const Record& r : lines)
                if (r.text.size() > options_.max_line_bytes) return too_long(r.line);
            if (!lines.empty() || eof_) return true;
            if (buffer_.size() - scanner_.offset() > options_.max_line_bytes) return too_long(scanner_.line());
            auto filled = fill();
            if (!filled) return filled.error();
        }
    }

    Result<bool> too_long(std::size_t line) {
        return std::vector<Diagnostic>{{Severity::error,
                                        DiagnosticCode::input_limit,
                                        input_.name() + ":" + std::to_string(line) + ": a line longer than " +
                                            std::to_string(options_.max_line_bytes) + " bytes",
                                        "one case per line; raise the limit with --max-line if it is meant",
                                        {}}};
    }

    Result<bool> fill() {
        const std::size_t used = scanner_.offset();
        buffer_.erase(0, used);
        scanner_.dropped(used);
        // No block larger than what is left of a file of known size (plus one byte, to see
        // the end): a small file costs kilobytes, not a whole zero-filled block.
        std::size_t block = block_bytes;
        if (const auto total = input_.size(); total && *total - input_.bytes_read() < block)
            block = static_cast<std::size_t>(*total - input_.bytes_read()) + 1;
        const std::size_t before = buffer_.size();
        buffer_.resize(before + block);
        auto got = input_.read(buffer_.data() + before, block);
        if (!got) return got.error();
        buffer_.resize(before + *got);
        if (*got < block) eof_ = true;
        if (first_block_) {
            first_block_ = false;
            constexpr std::string_view bom = "\xEF\xBB\xBF";  // spreadsheet exports start with one
            if (std::string_view(buffer_).starts_with(bom)) buffer_.erase(0, bom.size());
        }
        return true;
    }

    std::optional<Diagnostic> write(std::vector<DecidedPart>& parts) {
        for (auto& part : parts) {
            if (auto problem = out_.write(part.output)) return problem;
            for (auto& r : part.rejects) {
                ++summary_.rejected;
                if (events_.rejected) events_.rejected(r);
            }
            summary_.decided += part.decided;
            for (const auto& [id, line] : part.ids) {
                const std::size_t first = seen_ids_.first_line(id, line);
                if (first == line) continue;
                if (++duplicates_ <= described_duplicates && events_.warning)
                    events_.warning({Severity::warning,
                                     DiagnosticCode::duplicate_row_id,
                                     "line " + std::to_string(line) + " (case " + detail::for_message(id) +
                                         "): the case id is also on line " + std::to_string(first),
                                     "each case should have an id of its own",
                                     {}});
            }
        }
        return std::nullopt;
    }

    const RuleSet& rules_;
    detail::InputSource input_;
    OutputFile& out_;
    const DecideRunOptions& options_;
    const DecideRunEvents& events_;
    RecordScanner scanner_;
    std::string buffer_;
    bool eof_ = false, first_block_ = true;
    std::optional<BriefWriter> brief_;
    DecideRunSummary summary_;
    detail::SeenIds seen_ids_;
    std::size_t duplicates_ = 0;
};

}  // namespace

std::string render(const CaseDecisions& d, DecisionFormat format, bool explain, Language language) {
    return format == DecisionFormat::json ? to_json(d, explain) + "\n"
                                          : to_text(d, {.explain = explain, .language = language}) + "\n";
}

Result<DecideRunSummary> decide_jsonl(const RuleSet& rules, const std::string& path, OutputFile& out,
                                      const DecideRunOptions& options, const DecideRunEvents& events) {
    auto input = detail::InputSource::open(
        path, options.source_name == "<input>" ? (path == "-" ? "<stdin>" : path) : options.source_name,
        options.max_stream_bytes);
    if (!input) return input.error();
    return DecideRun(rules, std::move(*input), out, options, events).run();
}

std::string case_rejects_csv_header() { return "line,case,reason\n"; }

void append_case_reject(std::string& out, const CaseReject& r) {
    out += std::to_string(r.line);
    out += ',';
    detail::append_csv_cell(out, r.case_id);
    out += ',';
    detail::append_csv_cell(out, r.reason);
    out += '\n';
}

KELIAS_END_NAMESPACE
