/* __try/__except on x86: clang registers __except_handler3 as the frame's handler and lists
   it in .sxdata (its symbol table index), the object's @feat.00 is 1 (SAFESEH). */
int filter_hits;
void may_fault(int *p);

__declspec(dllexport) int guarded(int *p)
{
    int r = 0;
    __try { may_fault(p); r = 1; }
    __except (filter_hits++, 1) { r = -1; }
    return r;
}
