/* A console program whose object asks for Common Controls 6 the way MSVC's headers do. */
#pragma comment(linker, "/manifestdependency:\"type='win32' name='Microsoft.Windows.Common-Controls' version='6.0.0.0' processorArchitecture='*' publicKeyToken='6595b64144ccf1df' language='*'\"")
int start(void) { return 0; }
