/* Compiled by GCC with -flto -ffat-lto-objects: the object holds both GIMPLE bytecode in
   .gnu.lto_* sections and ordinary machine code, so it links without LTO. */
int fat_counter = 3;
__declspec(dllexport) int fat_function(int x) { return x * fat_counter + 1; }
