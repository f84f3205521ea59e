// Seed for the codeview fuzz target (C++): classes with bases, virtual and static members,
// a template instantiated twice, a namespace, references, a lambda and inline member functions
// (COMDAT functions with .debug$S sections of their own).
namespace cv {
struct Shape {
    virtual ~Shape() {}
    virtual int area() const = 0;
    static int count;
};
int Shape::count = 0;

template <typename T> struct Box : Shape {
    T width, height;
    Box(T w, T h) : width(w), height(h) { ++count; }
    int area() const override { return int(width * height); }
};

class Registry {
public:
    enum class Kind : unsigned char { none, box, other };
    int add(const Shape &s, Kind k = Kind::box) { total_ += s.area() * int(k); return total_; }
private:
    int total_ = 0;
};
}  // namespace cv

extern "C" int fuzz_function(int x) {
    cv::Box<int> a(x, 2);
    cv::Box<double> b(1.5, x);
    cv::Registry r;
    auto square = [&](int v) { return v * v + a.width; };
    return r.add(a) + r.add(b, cv::Registry::Kind::other) + square(x) + cv::Shape::count;
}
