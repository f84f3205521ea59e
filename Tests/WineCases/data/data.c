/* wn_data.dll: exported variables, read and written from both sides. */
int shared_counter = 1234;
int shared_table[4] = {10, 20, 30, 40};
const char shared_text[] = "exported-text";
/* An exported pointer to an exported variable: a base relocation the importer reads through __imp_. */
int *shared_counter_pointer = &shared_counter;

int read_shared_counter(void) { return shared_counter; }

void bump_shared_counter(void) { shared_counter += 1; }

int *address_of_shared_counter(void) { return &shared_counter; }

int sum_shared_table(void) {
    int sum = 0;
    for (int i = 0; i < 4; i++) sum += shared_table[i];
    return sum;
}
