// C++ functions and data exported by their MSVC-decorated names through a .def.
namespace math {
int compute(int x) { return x * 3; }
int compute(int x, int y) { return x * y; }      // overload: different decoration
double half(double v) { return v * 0.5; }
int scale_factor = 4;
}

class Widget {
public:
    static int count;
    int size(void) const;
    static Widget *make(void);
};
int Widget::count = 0;
int Widget::size(void) const { return count + 1; }
static Widget the_widget;
Widget *Widget::make(void) { ++count; return &the_widget; }

extern "C" int _fltused = 0;   // no CRT: define the marker the compiler references for floating point
