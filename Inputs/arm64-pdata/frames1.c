/* Functions with frames: each gets a .pdata entry (ADDR32NB to the function and to its
   .xdata, or packed unwind data) and .xdata unwind codes. */
int consume(volatile int *p, int n);
int helper_far(int x);

__declspec(dllexport) int with_locals(int n)
{
    volatile int buffer[64];
    for (int i = 0; i < 64; i++) buffer[i] = i * n;
    return consume(buffer, n) + 1;
}

__declspec(dllexport) long long many_saved(long long a, long long b, long long c, long long d)
{
    long long x = consume((volatile int *)&a, 1);
    long long y = helper_far((int)b) * c;
    long long z = consume((volatile int *)&d, (int)x) + y;
    return x * y + z * helper_far((int)(x ^ z)) + a + b + c + d;
}

__declspec(dllexport) int dynamic_stack(int n)
{
    volatile char *p = __builtin_alloca(n + 16);
    p[0] = (char)n;
    return consume((volatile int *)p, n) + p[0];
}

static int static_with_frame(int n)
{
    volatile int big[2048];
    big[n & 2047] = n;
    return consume(big, n);
}

__declspec(dllexport) int calls_static(int n) { return static_with_frame(n) + static_with_frame(n + 1); }
