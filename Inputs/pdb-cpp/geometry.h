// Types shared by both objects: a namespace, a class hierarchy with virtual functions, and a
// class template instantiated with two types. The records must be merged once in the PDB.
#ifndef GEOMETRY_H
#define GEOMETRY_H

namespace geo {

class Shape {
public:
    explicit Shape(int id) : id_(id) {}
    virtual int area() const = 0;
    virtual int perimeter() const { return 0; }
    int id() const { return id_; }

protected:
    int id_;
};

class Rect : public Shape {
public:
    Rect(int id, int w, int h) : Shape(id), w_(w), h_(h) {}
    int area() const override;
    int perimeter() const override;

protected:
    int w_, h_;
};

class Square : public Rect {
public:
    Square(int id, int side) : Rect(id, side, side) {}
    int area() const override;
};

template <typename T>
class Accumulator {
public:
    Accumulator() : total_(0), count_(0) {}
    void add(T value) { total_ += value; ++count_; }
    T total() const { return total_; }
    int count() const { return count_; }

private:
    T total_;
    int count_;
};

// Small enough to be inlined at -O2: the callers' line tables get inlinee lines.
inline int scaled(int value, int factor)
{
    int result = value * factor;
    if (result < 0)
        result = -result;
    return result;
}

extern int shape_count;               // global data, defined in shapes.cpp
int total_area(const Shape *const *shapes, int count);
long long total_area_wide(const Shape *const *shapes, int count);

} // namespace geo

#endif
