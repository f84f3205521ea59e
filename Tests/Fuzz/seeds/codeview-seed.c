/* Seed for the codeview fuzz target (scripts/fuzz compiles it with clang -g -gcodeview at -O0
   and -O1 and keeps only its .debug$T and .debug$S): records of many kinds - structures with
   bit fields, unions, enums, arrays, function pointers, typedefs, static locals, globals, a
   thread-local, nested blocks and an inlined function. */
typedef unsigned long long u64;
enum colour { RED, GREEN = 5, BLUE = -1 };
struct point { int x, y; };
union number { int i; float f; double d; char bytes[8]; };
struct node {
    struct node *next;
    unsigned kind : 3, flags : 5;
    enum colour colour;
    union number value;
    struct point corners[2][3];
    const volatile char *name;
    int (*callback)(struct node *, void *);
};
__declspec(thread) int cv_tls = 3;
struct node cv_root = { 0, 1, 2, GREEN };
static const char cv_message[] = "codeview";

static inline int cv_twice(int x) { return 2 * x; }

int cv_walk(struct node *n, void *context) {
    static int calls;
    int total = 0;
    calls++;
    for (; n; n = n->next) {
        u64 local = (u64)n->value.i;
        if (n->colour == BLUE) {
            double half = n->value.d / 2;
            total += (int)half;
        }
        total += cv_twice((int)local) + n->corners[1][2].y;
    }
    return total + calls + cv_tls + cv_message[0] + (context != 0);
}

int fuzz_function(int x) {
    struct node local = { &cv_root, 2, 3, RED };
    local.callback = cv_walk;
    return local.callback(&local, &x);
}
