/* The type both objects share: its records must be merged into one in the PDB's TPI stream. */
#ifndef SHAPE_H
#define SHAPE_H

enum shape_kind { SHAPE_SQUARE = 1, SHAPE_RECT = 2 };

struct point {
    int x;
    int y;
};

struct shape {
    enum shape_kind kind;
    struct point origin;
    struct point extent;
    const char *label;
};

extern struct shape shape_table[3]; /* global data, defined in shapes.c */
int shape_area(const struct shape *s);

#endif
