/* Linked three times: wn_relocA.dll and wn_relocB.dll with the same /base: (0x180000000 on x64,
 * 0x10000000 on i386), so the second one loaded is relocated, and wn_relocC.dll with the base
 * of the EXE, which is already there (0x140000000 on x64, 0x400000 on i386). Every initialised
 * pointer below is an absolute address in the image (a DIR64 base relocation on x64, HIGHLOW on
 * i386), and on i386 so is every address of a global in the code. */
int reloc_x = 99;
int reloc_y[3] = {1, 2, 3};

static int f1(void) { return 11; }
static int f2(void) { return 22; }
int reloc_f3(void) { return 33; }

/* Function pointers in read-only data. */
static int (*const table[])(void) = {f1, f2, reloc_f3};

/* Data pointers in writable data. */
int *p = &reloc_x;
int *reloc_p_y = &reloc_y[2];

/* Pointers to string literals. */
static const char *const names[] = {"alpha", "beta"};

/* A linked list built entirely from initialised pointers. */
struct node { const struct node *next; int value; };
static const struct node n3 = {0, 30};
static const struct node n2 = {&n3, 20};
static const struct node n1 = {&n2, 10};
static const struct node *const volatile list_head = &n1;

/* A pointer into the middle of an object, and one past its end. */
static char buffer[16] = "0123456789abcde";
char *const reloc_middle = &buffer[10];
char *const reloc_end = &buffer[16];

/* volatile index: keeps the compiler from folding the table lookups away. */
int reloc_call(int i) { volatile int k = i; return table[k](); }
void *reloc_table_entry(int i) { volatile int k = i; return (void *)table[k]; }
int *reloc_get_p(void) { return p; }
const char *reloc_name(int i) { volatile int k = i; return names[k]; }
char *reloc_buffer(void) { return buffer; }

int reloc_chain_sum(void) {
    int sum = 0;
    for (const struct node *n = list_head; n; n = n->next) sum += n->value;
    return sum;
}
