/* An inline member function both translation units use: GCC emits it in a COMDAT .text$NAME
   with its unwind data in COMDAT .pdata$NAME and .xdata$NAME that carry no symbol. */
struct Counter {
    int value;
    template <typename... Args> int get(Args &&...) { return value + 1; }
};
