// Embedding kelias: load START:AV, score one assessment, explain a result.
//
//   score_assessment [path/to/start_av.yaml]
#include <iostream>

#include <kelias/kelias.hpp>

int main(int argc, char** argv) {
    const char* path = argc > 1 ? argv[1] : "instruments/start_av.yaml";
    auto loaded = kelias::load_instrument_file(path);
    if (!loaded) {
        std::cerr << kelias::format(loaded.diagnostics());
        return 1;
    }
    const kelias::Instrument& start_av = *loaded;

    kelias::Assessment a;
    a.id = "example";
    for (const auto& field : start_av.fields())
        if (field.name == "strength") a.cells[field.column] = "1";
    a.cells["medication_adherence.strength"] = "na";  // not prescribed: not applicable
    a.cells["coping.strength"] = "";                  // not rated: omitted, never zero

    auto scores = kelias::score(start_av, a);
    if (!scores) {
        std::cerr << kelias::format(scores.diagnostics());
        return 1;
    }
    std::cout << "instrument " << scores->instrument_key << "\n";
    for (const auto& [id, value] : scores->scores)
        std::cout << "  " << id << " = " << (value.kind == kelias::Value::Kind::unknown ? "unknown" : value.to_string())
                  << "\n";

    // Explanations work on a batch; one assessment is a batch of one.
    kelias::RatingsBatch batch(start_av, 1);
    for (const auto& [column, text] : a.cells) batch.set_text(0, *start_av.find_field(column), text);
    auto why = kelias::explain(start_av, batch, 0, "strength_total_prorated");
    if (why) std::cout << "\n" << kelias::to_text(*why);
    return 0;
}
