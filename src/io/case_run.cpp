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

/// The compact batch formats: a wide CSV (one column per programme) and JSON lines keyed
/// by programme. Fragments for every (programme, decision) are made once; a row appends
/// them and the case's own id and date, without building anything per value.
class CompactWriter {
public:
    CompactWriter(const RuleSet& rules, DecisionFormat format, bool brief)
        : CompactWriter(ids_of(rules), format, brief) {
        order_.assign(rules.report_order().begin(), rules.report_order().end());
    }

    /// Programme ids in report order (the order of CaseDecisions::decisions).
    CompactWriter(std::vector<std::string> ids, DecisionFormat format, bool brief)
        : csv_(format == DecisionFormat::csv), brief_(brief), ids_(std::move(ids)) {
        for (std::size_t k = 0; k < ids_.size(); ++k) {
            const std::string& id = ids_[k];
            for (Decision d : {Decision::eligible, Decision::not_eligible, Decision::undetermined}) {
                std::string fragment;
                if (csv_) {
                    fragment = ",";
                } else {
                    fragment = k ? "," : "";
                    detail::append_json_string(fragment, id);
                    fragment += ':';
                }
                if (csv_)
                    fragment += to_string(d);
                else
                    detail::append_json_string(fragment, to_string(d));
                fragments_.push_back(std::move(fragment));
            }
        }
    }

    /// The CSV header line (empty for JSON lines).
    std::string header() const {
        if (!csv_) return {};
        std::string out = "case,as_of";
        auto columns = [&](std::string_view suffix) {
            for (const auto& id : ids_) {
                out += ',';
                detail::append_csv_cell(out, id + std::string(suffix));
            }
        };
        columns("");
        if (!brief_) {
            columns(".earliest");
            columns(".missing");
        }
        return out + "\n";
    }

    /// Decisions only, from the columnar path.
    void write(const RuleSet& rules, const CaseBatch& batch, std::string& out) const {
        const DecisionTable m = decide_columns(rules, batch, 1);
        for (std::size_t r = 0; r < batch.rows(); ++r) {
            begin(out, batch.id(r), batch.as_of(r));
            for (std::size_t k = 0; k < order_.size(); ++k)
                out += fragments_[3 * k + static_cast<std::size_t>(m(r, order_[k]))];
            out += csv_ ? "\n" : "}}\n";
        }
    }

    /// Decisions with the earliest dates and the missing facts.
    void write(const CaseDecisions& d, std::string& out) const {
        begin(out, d.case_id, d.as_of);
        for (std::size_t k = 0; k < d.decisions.size(); ++k)
            out += fragments_[3 * k + static_cast<std::size_t>(d.decisions[k].decision)];
        if (csv_) {
            for (const ProgrammeDecision& p : d.decisions) {
                out += ',';
                if (p.earliest_date) out += to_string(*p.earliest_date);
            }
            for (const ProgrammeDecision& p : d.decisions) {
                out += ',';
                std::string_view separator;
                std::string cell;
                for (const auto& m : p.missing) {
                    cell += separator;
                    cell += m;
                    separator = " ";
                }
                detail::append_csv_cell(out, cell);
            }
            out += '\n';
            return;
        }
        out += '}';
        bool any = false;
        for (const ProgrammeDecision& p : d.decisions) {
            if (!p.earliest_date) continue;
            out += any ? "," : ",\"earliest\":{";
            any = true;
            detail::append_json_string(out, p.programme);
            out += ":\"";
            out += to_string(*p.earliest_date);
            out += '"';
        }
        if (any) out += '}';
        any = false;
        for (const ProgrammeDecision& p : d.decisions) {
            if (p.missing.empty()) continue;
            out += any ? "," : ",\"missing\":{";
            any = true;
            detail::append_json_string(out, p.programme);
            out += ":[";
            for (std::size_t i = 0; i < p.missing.size(); ++i) {
                if (i) out += ',';
                detail::append_json_string(out, p.missing[i]);
            }
            out += ']';
        }
        if (any) out += '}';
        out += "}\n";
    }

private:
    static std::vector<std::string> ids_of(const RuleSet& rules) {
        std::vector<std::string> ids;
        for (std::size_t p : rules.report_order()) ids.push_back(rules.programmes()[p].id);
        return ids;
    }

    void begin(std::string& out, std::string_view id, std::optional<Date> as_of) const {
        if (csv_) {
            detail::append_csv_cell(out, id);
            out += ',';
            if (as_of) out += to_string(*as_of);
            return;
        }
        out += "{\"case\":";
        detail::append_json_string(out, id);
        out += ",\"as_of\":";
        if (as_of) {
            out += '"';
            out += to_string(*as_of);
            out += '"';
        } else {
            out += "null";
        }
        out += ",\"decisions\":{";
    }

    bool csv_, brief_;
    std::vector<std::string> ids_;  // in report order
    std::vector<std::size_t> order_;
    std::vector<std::string> fragments_;  // per position in order_, per decision
};

bool compact(DecisionFormat format) { return format == DecisionFormat::csv || format == DecisionFormat::jsonl; }

// One part of a chunk of lines, decided by one worker.
struct DecidedPart {
    std::string output;
    std::vector<CaseReject> rejects;
    std::vector<std::pair<std::string, std::size_t>> ids;  // (id, line) of the cases decided
    std::size_t decided = 0;
};

// Full decisions are made a few cases at a time within a part: those of a whole chunk
// (reasons, inputs, texts) would take far more memory than their rendered lines. Brief
// ones too, in larger batches: the columns of a batch (about 50 of them) stay in the
// cache from reading to deciding, and one batch's memory is reused for the next.
constexpr std::size_t full_batch_rows = 256;
constexpr std::size_t brief_batch_rows = 2048;
constexpr std::size_t full_chunk_lines = 4096;

struct PartWriters {
    const BriefWriter* brief = nullptr;
    const CompactWriter* compact = nullptr;
};

void decide_rows(const RuleSet& rules, const DecideRunOptions& o, PartWriters writers, const CaseBatch& batch,
                 std::string& out) {
    if (o.brief) {
        if (writers.compact)
            writers.compact->write(rules, batch, out);
        else
            writers.brief->write(rules, batch, out);
        return;
    }
    for (const auto& d : decide_batch(rules, batch, {.earliest_dates = o.earliest_dates, .threads = 1})) {
        if (writers.compact)
            writers.compact->write(d, out);
        else
            out += render(d, o.format, o.explain, o.language);
    }
}

DecidedPart decide_part(const RuleSet& rules, const DecideRunOptions& o, PartWriters writers,
                        std::span<const Record> lines) {
    DecidedPart part;
    const std::size_t batch_rows = o.brief ? brief_batch_rows : full_batch_rows;
    const std::size_t reserved = std::min(batch_rows, lines.size());
    CaseBatch batch(rules);
    batch.reserve(reserved);
    std::vector<std::size_t> line_of;
    line_of.reserve(reserved);
    part.ids.reserve(lines.size());
    auto flush = [&] {
        part.decided += batch.rows();
        for (std::size_t r = 0; r < batch.rows(); ++r) part.ids.emplace_back(batch.id(r), line_of[r]);
        decide_rows(rules, o, writers, batch, part.output);
        batch.clear();
        line_of.clear();
    };
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
        if (batch.rows() == batch_rows) flush();
    }
    if (batch.rows()) flush();
    return part;
}

class DecideRun {
public:
    DecideRun(const RuleSet& rules, detail::InputSource input, OutputFile& out, const DecideRunOptions& options,
              const DecideRunEvents& events)
        : rules_(rules), input_(std::move(input)), out_(out), options_(options), events_(events),
          scanner_(RecordScanner::Mode::lines) {
        // A full JSON or text decision is kilobytes (every reason, inputs and texts): fewer
        // of them per chunk keep the chunks in flight to tens of megabytes.
        if (!options.brief && !compact(options.format)) chunk_lines_ = std::min(chunk_lines_, full_chunk_lines);
        if (compact(options.format))
            compact_.emplace(rules, options.format, options.brief);
        else if (options.brief)
            brief_.emplace(rules, options.format);
    }

    Result<DecideRunSummary> run() {
        const unsigned workers =
            std::max(1u, options_.threads ? options_.threads : std::thread::hardware_concurrency());
        std::vector<DecidedPart> written;  // the previous chunk, written while the next is decided
        if (compact_)
            if (auto problem = out_.write(compact_->header())) return std::vector<Diagnostic>{*problem};
        // Chunk N is decided by the workers while this thread writes chunk N - 1 and reads
        // chunk N + 1 (into a new block when it needs one: chunk N still points into the old).
        std::vector<Record> lines, next;
        if (auto read = next_lines(lines); !read) return read.error();
        while (!lines.empty()) {
            std::vector<std::future<DecidedPart>> parts;
            const std::span<const Record> all(lines);
            for (unsigned k = 0; k < workers; ++k) {
                const std::size_t begin = lines.size() * k / workers, end = lines.size() * (k + 1) / workers;
                if (begin == end) continue;
                parts.push_back(std::async(std::launch::async, decide_part, std::cref(rules_), std::cref(options_),
                                           PartWriters{brief_ ? &*brief_ : nullptr, compact_ ? &*compact_ : nullptr},
                                           all.subspan(begin, end - begin)));
            }
            const auto problem = write(written);
            written.clear();
            next.clear();
            Result<bool> read = true;
            if (!problem) read = next_lines(next);
            for (auto& p : parts) written.push_back(p.get());
            if (!retired_.empty()) spare_ = std::move(retired_.back());  // the blocks chunk N pointed into
            retired_.clear();
            if (problem) return std::vector<Diagnostic>{*problem};
            if (!read) return read.error();
            std::swap(lines, next);
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
            scanner_.scan({buffer_.data(), buffer_.size()}, chunk_lines_, eof_, lines);
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
        // The unread rest moves to a new block; the old one stays alive until the chunk
        // being decided, which points into it, is done.
        const std::size_t used = scanner_.offset();
        std::string rest = std::move(spare_);  // a block used before: its pages are there
        rest.assign(buffer_, used);
        retired_.push_back(std::move(buffer_));
        buffer_ = std::move(rest);
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
    std::size_t chunk_lines_ = options_.chunk_lines;
    std::vector<std::string> retired_;  // blocks the chunk being decided may point into
    std::string spare_;                 // a retired block, reused by the next fill()
    bool eof_ = false, first_block_ = true;
    std::optional<BriefWriter> brief_;
    std::optional<CompactWriter> compact_;
    DecideRunSummary summary_;
    detail::SeenIds seen_ids_;
    std::size_t duplicates_ = 0;
};

}  // namespace

std::string render(const CaseDecisions& d, DecisionFormat format, bool explain, Language language) {
    if (compact(format)) {
        std::vector<std::string> ids;
        for (const ProgrammeDecision& p : d.decisions) ids.push_back(p.programme);
        std::string out;
        CompactWriter(std::move(ids), format, false).write(d, out);
        return out;
    }
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
