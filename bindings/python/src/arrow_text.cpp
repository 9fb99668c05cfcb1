// Text columns given as Arrow buffers (pandas' Arrow-backed strings, polars, pyarrow):
// the cells are read where they lie (validity bitmap, 32- or 64-bit offsets and data, or
// the 16-byte views of string_view) and parsed in C++ with the GIL released, without a
// Python object per cell. Each column keeps a small cache of the texts it has seen (a
// ratings column repeats a handful: 0, 1, 2, na, low, moderate, high), so parse_cell()
// runs once per distinct text. Results are the same as parse_column() on the same cells.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <exception>
#include <mutex>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <kelias/kelias.hpp>

#include "arrow_text.hpp"

namespace kelias_python {
namespace {

using kelias::CellState;
using kelias::Instrument;
using kelias::ParsedCell;

enum class Layout : std::uint8_t { string, large_string, string_view };

// One Arrow array (one chunk) of text: its layout, rows, the array's offset into its
// buffers, and the buffers' addresses (validity 0 when every cell is valid).
struct TextChunk {
    Layout layout = Layout::string;
    std::size_t length = 0;
    std::size_t offset = 0;
    const std::uint8_t* validity = nullptr;
    const void* offsets = nullptr;  // int32 or int64 offsets; string_view: the views
    std::vector<const char*> data;  // one data buffer; string_view: the variadic ones
};

// One column to parse: a field, its rows and chunks, and where the results go.
struct TextColumn {
    std::size_t field = 0;
    std::vector<TextChunk> chunks;
    double* values = nullptr;
    std::uint8_t* states = nullptr;
    std::vector<std::pair<std::size_t, const char*>> problems;  // (row, reason)
};

// The parsed cells of one column by text: texts of up to 8 bytes compared as one word in
// a short list (what ratings columns hold), longer ones (dates) in a hash map. Keys point
// into the Arrow data, which outlives the call.
class CellCache {
public:
    CellCache(const Instrument& instrument, std::size_t field) : instrument_(instrument), field_(field) {}

    const ParsedCell& get(std::string_view text) {
        if (text.size() <= 8 && short_.size() < 64) {
            std::uint64_t word = 0;  // the bytes, little end first (no call for a short copy)
            for (std::size_t i = 0; i < text.size(); ++i)
                word |= static_cast<std::uint64_t>(static_cast<unsigned char>(text[i])) << (8 * i);
            const auto size = static_cast<std::uint32_t>(text.size());
            for (const auto& s : short_)
                if (s.word == word && s.size == size) return s.cell;
            short_.push_back({word, size, kelias::parse_cell(instrument_, field_, text)});
            return short_.back().cell;
        }
        auto it = long_.find(text);
        if (it == long_.end()) it = long_.emplace(text, kelias::parse_cell(instrument_, field_, text)).first;
        return it->second;
    }

private:
    struct Short {
        std::uint64_t word;
        std::uint32_t size;
        ParsedCell cell;
    };
    const Instrument& instrument_;
    std::size_t field_;
    std::vector<Short> short_;
    std::unordered_map<std::string_view, ParsedCell> long_;
};

// The text of cell j (already offset) of a chunk.
std::string_view text_of(const TextChunk& c, std::size_t j) {
    switch (c.layout) {
    case Layout::string: {
        const auto* o = static_cast<const std::int32_t*>(c.offsets);
        return {c.data[0] + o[j], static_cast<std::size_t>(o[j + 1] - o[j])};
    }
    case Layout::large_string: {
        const auto* o = static_cast<const std::int64_t*>(c.offsets);
        return {c.data[0] + o[j], static_cast<std::size_t>(o[j + 1] - o[j])};
    }
    case Layout::string_view: {
        // 16 bytes: int32 size, then the text itself (size <= 12) or a 4-byte prefix, the
        // buffer index and the offset in it.
        const auto* view = static_cast<const std::uint8_t*>(c.offsets) + 16 * j;
        std::int32_t size = 0;
        std::memcpy(&size, view, 4);
        if (size <= 12) return {reinterpret_cast<const char*>(view + 4), static_cast<std::size_t>(size)};
        std::int32_t buffer = 0;
        std::int32_t at = 0;
        std::memcpy(&buffer, view + 8, 4);
        std::memcpy(&at, view + 12, 4);
        return {c.data[static_cast<std::size_t>(buffer)] + at, static_cast<std::size_t>(size)};
    }
    }
    return {};
}

void parse_text_column(const Instrument& instrument, TextColumn& column) {
    CellCache cache(instrument, column.field);
    std::size_t row = 0;
    for (const auto& c : column.chunks) {
        for (std::size_t i = 0; i < c.length; ++i, ++row) {
            const std::size_t j = c.offset + i;
            if (c.validity && !((c.validity[j >> 3] >> (j & 7)) & 1)) {  // null: omitted
                column.values[row] = 0.0;
                column.states[row] = static_cast<std::uint8_t>(CellState::omitted);
                continue;
            }
            const ParsedCell& cell = cache.get(text_of(c, j));
            if (cell.error) column.problems.emplace_back(row, cell.error);
            column.values[row] = cell.state == CellState::value ? cell.value : 0.0;
            column.states[row] = static_cast<std::uint8_t>(cell.state);
        }
    }
}

const void* address(const py::handle& h) { return reinterpret_cast<const void*>(h.cast<std::uintptr_t>()); }

TextChunk chunk_of(const py::handle& item) {
    const auto t = item.cast<py::tuple>();
    TextChunk c;
    const auto layout = t[0].cast<std::string>();
    if (layout == "string")
        c.layout = Layout::string;
    else if (layout == "large_string")
        c.layout = Layout::large_string;
    else if (layout == "string_view")
        c.layout = Layout::string_view;
    else
        throw py::value_error("unknown Arrow text layout '" + layout + "'");
    c.length = t[1].cast<std::size_t>();
    c.offset = t[2].cast<std::size_t>();
    c.validity = static_cast<const std::uint8_t*>(address(t[3]));
    c.offsets = address(t[4]);
    for (const auto& d : t[5].cast<py::tuple>()) c.data.push_back(static_cast<const char*>(address(d)));
    if (c.length > 0 && (!c.offsets || c.data.empty()))
        throw py::value_error("an Arrow text chunk needs its offsets (or views) and data buffers");
    return c;
}

}  // namespace

// columns: [(field, rows, [(layout, length, offset, validity, offsets, (data, ...)), ...])]
// where the addresses are those of the buffers of pyarrow arrays the caller keeps alive
// for the call. Returns [(values float64, states uint8, [(row, reason)])], one per column,
// as parse_column() does for the same cells. Columns are parsed on up to `threads` threads.
py::list parse_arrow_columns(const Instrument& instrument, const py::list& columns, unsigned threads) {
    std::vector<TextColumn> work;
    py::list out;
    std::vector<std::pair<py::array_t<double>, py::array_t<std::uint8_t>>> arrays;
    for (const auto& item : columns) {
        const auto t = item.cast<py::tuple>();
        TextColumn column;
        column.field = t[0].cast<std::size_t>();
        if (column.field >= instrument.fields().size()) throw py::value_error("no such field");
        const auto rows = t[1].cast<std::size_t>();
        std::size_t total = 0;
        for (const auto& c : t[2].cast<py::list>()) {
            column.chunks.push_back(chunk_of(c));
            total += column.chunks.back().length;
        }
        if (total != rows) throw py::value_error("the chunks of a text column must add up to the frame's rows");
        py::array_t<double> values(static_cast<py::ssize_t>(rows));
        py::array_t<std::uint8_t> states(static_cast<py::ssize_t>(rows));
        column.values = values.mutable_data();
        column.states = states.mutable_data();
        arrays.emplace_back(std::move(values), std::move(states));
        work.push_back(std::move(column));
    }
    {
        py::gil_scoped_release unlocked;
        unsigned n = threads ? threads : std::max(1U, std::thread::hardware_concurrency());
        n = static_cast<unsigned>(std::min<std::size_t>(n, work.size()));
        std::atomic<std::size_t> next{0};
        std::exception_ptr failure;
        std::mutex failure_lock;
        const auto run = [&] {
            try {
                for (std::size_t k = next++; k < work.size(); k = next++) parse_text_column(instrument, work[k]);
            } catch (...) {
                const std::lock_guard lock(failure_lock);
                failure = std::current_exception();
            }
        };
        std::vector<std::thread> pool;
        for (unsigned k = 1; k < n; ++k) pool.emplace_back(run);
        run();
        for (auto& th : pool) th.join();
        if (failure) std::rethrow_exception(failure);
    }
    for (std::size_t k = 0; k < work.size(); ++k) {
        py::list problems;
        for (const auto& [row, reason] : work[k].problems) problems.append(py::make_tuple(row, reason));
        out.append(py::make_tuple(arrays[k].first, arrays[k].second, problems));
    }
    return out;
}

}  // namespace kelias_python
