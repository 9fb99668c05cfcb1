// Replays fuzz inputs through a harness without libFuzzer, so that any compiler can run
// the seeds and the findings as a CTest test.
//
//   fuzz_replay_<name> [--no-fork] PATH...
//
// Every PATH is a file or a folder (searched recursively; names starting with '.' and
// README files are skipped). Each input runs in a child process of its own, so a crash,
// a sanitizer report or a hang (60 s) is reported with the file name and the remaining
// inputs still run; `--no-fork` (or KELIAS_REPLAY_NO_FORK=1) runs them in this process,
// for a debugger. Exits 0 when every input passed, 1 when any failed, 2 on bad usage.
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#if defined(__unix__) || defined(__APPLE__)
#include <sys/wait.h>
#include <unistd.h>
#define KELIAS_REPLAY_CAN_FORK 1
#else
#define KELIAS_REPLAY_CAN_FORK 0
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

constexpr unsigned per_input_seconds = 60;

bool skipped(const fs::path& p) {
    const std::string name = p.filename().string();
    return name.empty() || name.front() == '.' || name.rfind("README", 0) == 0;
}

// Appends the inputs under `arg`; false when it names nothing.
bool collect(const fs::path& arg, std::vector<fs::path>& out) {
    std::error_code ec;
    if (fs::is_regular_file(arg, ec)) {
        out.push_back(arg);
        return true;
    }
    if (!fs::is_directory(arg, ec)) return false;
    std::vector<fs::path> found;
    for (auto it = fs::recursive_directory_iterator(arg, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        if (skipped(it->path())) {
            if (it->is_directory(ec)) it.disable_recursion_pending();
            continue;
        }
        if (it->is_regular_file(ec)) found.push_back(it->path());
    }
    if (ec) return false;
    std::sort(found.begin(), found.end());  // a stable order, whatever the file system's
    out.insert(out.end(), found.begin(), found.end());
    return true;
}

// Runs one input in this process, in a buffer of exactly its size (as libFuzzer does, so
// that ASan sees reads past the end).
bool run_in_process(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "replay: cannot read %s\n", p.string().c_str());
        return false;
    }
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::unique_ptr<std::uint8_t[]> copy(new std::uint8_t[bytes.size()]);
    if (!bytes.empty()) std::memcpy(copy.get(), bytes.data(), bytes.size());
    LLVMFuzzerTestOneInput(copy.get(), bytes.size());
    return true;
}

#if KELIAS_REPLAY_CAN_FORK
bool run_in_child(const fs::path& p) {
    std::fflush(nullptr);
    const pid_t pid = fork();
    if (pid < 0) {
        std::perror("replay: fork");
        return run_in_process(p);
    }
    if (pid == 0) {
        alarm(per_input_seconds);              // a hang ends with SIGALRM
        std::exit(run_in_process(p) ? 0 : 3);  // exit(), not _exit(): LeakSanitizer runs at exit
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            std::perror("replay: waitpid");
            return false;
        }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return true;
    if (WIFSIGNALED(status))
        std::fprintf(stderr, "replay: FAILED %s: killed by signal %d (%s)\n", p.string().c_str(), WTERMSIG(status),
                     WTERMSIG(status) == SIGALRM ? "timeout" : strsignal(WTERMSIG(status)));
    else
        std::fprintf(stderr, "replay: FAILED %s: exit code %d\n", p.string().c_str(), WEXITSTATUS(status));
    return false;
}
#endif

}  // namespace

int main(int argc, char** argv) {
    bool fork_each = KELIAS_REPLAY_CAN_FORK != 0;
    if (const char* env = std::getenv("KELIAS_REPLAY_NO_FORK"); env && *env && std::strcmp(env, "0") != 0)
        fork_each = false;
    std::vector<fs::path> inputs;
    int paths = 0;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--no-fork") == 0) {
            fork_each = false;
            continue;
        }
        ++paths;
        if (!collect(argv[i], inputs)) {
            std::fprintf(stderr, "replay: %s is neither a file nor a readable folder\n", argv[i]);
            return 2;
        }
    }
    if (paths == 0) {
        std::fprintf(stderr, "usage: %s [--no-fork] FILE_OR_FOLDER...\n", argc > 0 ? argv[0] : "fuzz_replay");
        return 2;
    }

    // Let the harness load its fixed definitions once, before the children are forked.
    const std::uint8_t nothing = 0;
    LLVMFuzzerTestOneInput(&nothing, 0);

    std::size_t failed = 0;
    for (const auto& p : inputs) {
#if KELIAS_REPLAY_CAN_FORK
        const bool ok = fork_each ? run_in_child(p) : run_in_process(p);
#else
        const bool ok = run_in_process(p);
#endif
        if (!ok) ++failed;
    }
    std::printf("replay: %zu input(s), %zu failed\n", inputs.size(), failed);
    return failed == 0 ? 0 : 1;
}
