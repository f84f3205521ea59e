// The DLL side of the C++ exception test (MinGW flavor, linked by pelink through clang's driver).
// Compiled twice: by x86_64-w64-mingw32-g++ -O2 and by clang++ --target=x86_64-w64-mingw32 -O2.
#include <stdexcept>
#include <string>
#include <cstdio>

#define EH_EXPORT extern "C" __declspec(dllexport)

// Throws out of the DLL: the EXE catches.
EH_EXPORT __attribute__((noinline)) void eh_dll_throw(int value) {
    throw std::runtime_error("thrown in dll " + std::to_string(value));
}

// Calls back into the EXE; whatever the callback throws is caught here, in the DLL.
// Writes the message into `message` and returns 1 when something was caught.
EH_EXPORT __attribute__((noinline)) int eh_dll_call_and_catch(void (*callback)(int), int value, char *message,
                                                              unsigned size) {
    try {
        callback(value);
    } catch (const std::runtime_error &error) {
        std::snprintf(message, size, "%s", error.what());
        return 1;
    }
    std::snprintf(message, size, "nothing");
    return 0;
}

// Throws and catches inside the DLL, through a second frame.
static __attribute__((noinline)) int deep(int value) {
    if (value > 0) throw std::runtime_error("inside dll " + std::to_string(value));
    return value;
}

EH_EXPORT __attribute__((noinline)) int eh_dll_internal(int value) {
    try {
        return deep(value);
    } catch (const std::exception &error) {
        return (int)std::string(error.what()).size();
    }
}
