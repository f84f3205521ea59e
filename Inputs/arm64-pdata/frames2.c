/* __chkstk stands in for the CRT probe routine that clang calls for big frames and alloca. */
int consume(volatile int *p, int n) { return p[0] + n; }

__declspec(dllexport) int helper_far(int x)
{
    volatile int local[8];
    local[x & 7] = x;
    return consume(local, x) * 3;
}

__declspec(dllexport) double float_frame(double a, double b, int n)
{
    double acc = 0;
    for (int i = 0; i < n; i++) acc += helper_far(i) * a - b;
    return acc * a + helper_far(n) * b;
}
void __chkstk(void) {}
