// Links against an installed kelias through find_package(kelias) and checks
// that the library answers and reports the version the package config claims.
#include <kelias/version.hpp>

#include <iostream>
#include <string_view>

int main() {
    const std::string_view v = kelias::version();
    std::cout << "kelias " << v << '\n';
    if (v.empty()) {
        std::cerr << "kelias::version() returned an empty string\n";
        return 1;
    }
#ifdef KELIAS_EXPECTED_VERSION
    if (v != std::string_view{KELIAS_EXPECTED_VERSION}) {
        std::cerr << "kelias::version() is '" << v << "', the package says '"
                  << KELIAS_EXPECTED_VERSION << "'\n";
        return 1;
    }
#endif
    return 0;
}
