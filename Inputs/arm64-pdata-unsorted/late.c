/* late_fn goes to .text$z, which sorts after early.obj's .text$b, so this object's
   .pdata (linked first) describes functions on both sides of early_fn. */
int sink(volatile int *p);

__declspec(dllexport) int plain_fn(int n)
{
    volatile int v[16];
    v[n & 15] = n;
    return sink(v) + 1;
}

__attribute__((section(".text$z"))) __declspec(dllexport) int late_fn(int n)
{
    volatile int v[40];
    v[n & 31] = n;
    return sink(v) * 2 + plain_fn(n);
}
