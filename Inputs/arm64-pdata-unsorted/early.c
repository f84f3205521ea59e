int sink(volatile int *p) { return p[0]; }

__attribute__((section(".text$b"))) __declspec(dllexport) int early_fn(int n)
{
    volatile int v[24];
    v[n & 15] = n;
    return sink(v) - 1;
}
