/* Archive member with a short name, pulled by a data reference. */
int short_value = 42;
