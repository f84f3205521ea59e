// The EXE side of the C++ exception test. Prints one line per exception it sees caught; the
// test compares the output exactly. At -O2 GCC moves main's handlers to .text.unlikely (with
// their unwind entries in .pdata.unlikely), which the exception directory must cover.
#include <stdexcept>
#include <string>
#include <cstdio>

extern "C" __declspec(dllimport) void eh_dll_throw(int value);
extern "C" __declspec(dllimport) int eh_dll_call_and_catch(void (*callback)(int), int value, char *message,
                                                           unsigned size);
extern "C" __declspec(dllimport) int eh_dll_internal(int value);

static volatile int sink;

static __attribute__((noinline)) void exe_throw(int value) {
    if (value >= 0) throw std::runtime_error("thrown in exe " + std::to_string(value));
    sink = value;
}

// Catches what a called function throws, one frame down.
static __attribute__((noinline)) std::string catch_in_function(int value) {
    try {
        exe_throw(value);
    } catch (const std::runtime_error &error) {
        return std::string("function caught: ") + error.what();
    }
    return "function caught nothing";
}

// The EXE's callback, which throws through the DLL's frame.
static void exe_callback(int value) {
    throw std::runtime_error("thrown by exe callback " + std::to_string(value));
}

int main() {
    std::setvbuf(stdout, nullptr, _IONBF, 0);
    try {
        throw std::runtime_error("thrown in main");
    } catch (const std::runtime_error &error) {
        std::printf("main caught: %s\n", error.what());
    }
    try {
        exe_throw(1);
        std::printf("main: no exception from exe_throw\n");
    } catch (const std::runtime_error &error) {
        std::printf("main caught: %s\n", error.what());
    }
    std::printf("%s\n", catch_in_function(2).c_str());
    try {
        eh_dll_throw(3);
        std::printf("main: no exception from eh_dll_throw\n");
    } catch (const std::exception &error) {
        std::printf("main caught from dll: %s\n", error.what());
    }
    char message[128];
    int caught = eh_dll_call_and_catch(exe_callback, 4, message, sizeof message);
    std::printf("dll caught=%d: %s\n", caught, message);
    std::printf("dll internal=%d\n", eh_dll_internal(5));
    std::printf("done\n");
    return 0;
}
