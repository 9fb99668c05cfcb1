// Embedding kelias: score a ratings file into a scores file with the library's own readers
// and writers (what `kelias score` and the Python package do).
//
//   score_file [ratings.csv] [scores.csv]
#include <iostream>

#include <kelias/kelias.hpp>

int main(int argc, char** argv) {
    const char* input = argc > 1 ? argv[1] : "examples/data/start_av_ratings.csv";
    const char* output = argc > 2 ? argv[2] : "-";
    const auto path = kelias::find_definition("start_av");
    if (!path) {
        std::cerr << "start_av is not installed (set KELIAS_PATH to the instruments folder)\n";
        return 1;
    }
    auto start_av = kelias::load_instrument_file(*path);
    if (!start_av) {
        std::cerr << kelias::format(start_av.error());
        return 1;
    }
    auto reader = kelias::RatingsReader::open(*start_av, input, {.id_column = "id"});
    if (!reader) {
        std::cerr << kelias::format(reader.error());
        return 2;
    }
    std::cerr << kelias::format(reader.diagnostics());  // warnings, e.g. absent columns
    kelias::OutputFile out;
    if (auto problem = out.open(output, {input})) {
        std::cerr << kelias::format(*problem);
        return 2;
    }
    const kelias::ScoreWriter writer(*start_av,
                                     {.format = kelias::ScoresFormat::csv, .delimiter = reader->delimiter()});
    kelias::ScoreRunEvents events;
    events.rejected = [](const kelias::RowProblem& p) {
        std::cerr << kelias::row_label(p.line, p.id) << ": " << p.column << ": " << p.reason << "\n";
    };
    auto summary = kelias::score_ratings(*start_av, *reader, writer, out, {.threads = 0}, events);
    if (!summary) {
        std::cerr << kelias::format(summary.error());
        return 2;
    }
    if (auto problem = out.commit()) {
        std::cerr << kelias::format(*problem);
        return 2;
    }
    std::cerr << summary->rows_read - summary->rows_rejected << " of " << summary->rows_read << " rows scored\n";
    return summary->rows_rejected == 0 ? 0 : 3;
}
