import Foundation
import Testing
@testable import PELink

// Expected demanglings, pinned so the tests do not need the LLVM tools.
//
// The "real object" tables hold symbols of objects compiled from C++ sources written to cover the
// supported constructs (free/member/static/virtual functions, access, cv and ref qualifiers,
// calling conventions, builtins, pointers and references, classes/unions/enums, templates with
// type, integer, pointer and pack arguments, back-references and substitutions, function and
// member pointers, arrays, operators, constructors/destructors, vftables, RTTI, string literals,
// std:: types, local entities, lambdas, thunks):
//   clang++ --target=x86_64-pc-windows-msvc -c   and   --target=i386-pc-windows-msvc -c
//   x86_64-w64-mingw32-g++ -c, i686-w64-mingw32-g++ -c   and   clang++ --target=x86_64-w64-mingw32 -c
// plus a sample of mingw-w64 GCC 12's own libstdc++.a; symbols listed with llvm-nm, and the
// expected text printed by llvm-undname / llvm-cxxfilt (LLVM 14; `llvm-cxxfilt -_` for the i386
// mingw `__Z` names). The "hand-written" tables are names written from the grammars for
// constructs the sources did not produce, checked the same way.

/// MSVC decorated names from real objects.
private let microsoftFromObjects: [(String, String)] = [
    (#"?$TSS0@?1??user@@YAHXZ@4HA"#, #"int `int __cdecl user(void)'::`2'::$TSS0"#),
    (#"??$?BH@Str@lib@@QBEPAHXZ"#, #"public: int * __thiscall lib::Str::operator<int> int *(void) const"#),
    (#"??$?BH@Str@lib@@QEBAPEAHXZ"#, #"public: int * __cdecl lib::Str::operator<int> int *(void) const"#),
    (#"??$apply@V<lambda_0>@?0??user@@YAHXZ@@lib@@YAHV<lambda_0>@?0??user@@YAHXZ@@Z"#, #"int __cdecl lib::apply<class `int __cdecl user(void)'::`1'::<lambda_0>>(class `int __cdecl user(void)'::`1'::<lambda_0>)"#),
    (#"??$apply@V<lambda_1>@?0??user@@YAHXZ@@lib@@YAHV<lambda_1>@?0??user@@YAHXZ@@Z"#, #"int __cdecl lib::apply<class `int __cdecl user(void)'::`1'::<lambda_1>>(class `int __cdecl user(void)'::`1'::<lambda_1>)"#),
    (#"??$as@D@?$Box@H@app@@QEBADD@Z"#, #"public: char __cdecl app::Box<int>::as<char>(char) const"#),
    (#"??$as@N@?$Box@H@app@@QEBANN@Z"#, #"public: double __cdecl app::Box<int>::as<double>(double) const"#),
    (#"??$call@HH@lib@@YAHP6AHH@ZH@Z"#, #"int __cdecl lib::call<int, int>(int (__cdecl *)(int), int)"#),
    (#"??$call@NNM@lib@@YANP6ANNM@ZNM@Z"#, #"double __cdecl lib::call<double, double, float>(double (__cdecl *)(double, float), double, float)"#),
    (#"??$instance@H@lib@@YAAAHXZ"#, #"int & __cdecl lib::instance<int>(void)"#),
    (#"??$instance@U?$Opt@J@lib@@@lib@@YAAAU?$Opt@J@0@XZ"#, #"struct lib::Opt<long> & __cdecl lib::instance<struct lib::Opt<long>>(void)"#),
    (#"??$invoke@UAcc@lib@@H@lib@@YAHPEAUAcc@0@P810@EBAHXZ@Z"#, #"int __cdecl lib::invoke<struct lib::Acc, int>(struct lib::Acc *, int (__cdecl lib::Acc::*)(void) const)"#),
    (#"??$max_of@H@ns@@YAHHH@Z"#, #"int __cdecl ns::max_of<int>(int, int)"#),
    (#"??$max_of@N@ns@@YANNN@Z"#, #"double __cdecl ns::max_of<double>(double, double)"#),
    (#"??$max_of@PAU?$Holder@H@app@@@ns@@YAPAU?$Holder@H@app@@PAU12@0@Z"#, #"struct app::Holder<int> * __cdecl ns::max_of<struct app::Holder<int> *>(struct app::Holder<int> *, struct app::Holder<int> *)"#),
    (#"??$tbool@$00@@YAXXZ"#, #"void __cdecl tbool<1>(void)"#),
    (#"??$tenum@$0A@@@YAHXZ"#, #"int __cdecl tenum<0>(void)"#),
    (#"??$tf2@HD@@YAXHD@Z"#, #"void __cdecl tf2<int, char>(int, char)"#),
    (#"??$tf2@UPoint@app@@PAU12@@@YAXUPoint@app@@PAU01@@Z"#, #"void __cdecl tf2<struct app::Point, struct app::Point *>(struct app::Point, struct app::Point *)"#),
    (#"??$tf@H@@YAHH@Z"#, #"int __cdecl tf<int>(int)"#),
    (#"??$tf@N@@YANN@Z"#, #"double __cdecl tf<double>(double)"#),
    (#"??$tf@UPoint@app@@@@YA?AUPoint@app@@U01@@Z"#, #"struct app::Point __cdecl tf<struct app::Point>(struct app::Point)"#),
    (#"??$tn@$04@@YAHXZ"#, #"int __cdecl tn<5>(void)"#),
    (#"??$tn@$0?6@@YAHXZ"#, #"int __cdecl tn<-7>(void)"#),
    (#"??$tn@$0A@@@YAHXZ"#, #"int __cdecl tn<0>(void)"#),
    (#"??$tn@$0BOCEA@@@YAHXZ"#, #"int __cdecl tn<123456>(void)"#),
    (#"??$tn@$0GE@@@YAHXZ"#, #"int __cdecl tn<100>(void)"#),
    (#"??$tptr@$1?gvar_for_tmpl@@3HA@@YAXXZ"#, #"void __cdecl tptr<&int gvar_for_tmpl>(void)"#),
    (#"??$variadic@$$V@@YAXXZ"#, #"void __cdecl variadic<>(void)"#),
    (#"??$variadic@HND@@YAXHND@Z"#, #"void __cdecl variadic<int, double, char>(int, double, char)"#),
    (#"??$with@N@?$Pair@HD@lib@@QEBA?AU?$Pair@ND@1@N@Z"#, #"public: struct lib::Pair<double, char> __cdecl lib::Pair<int, char>::with<double>(double) const"#),
    (#"??0A@app@@QEAA@XZ"#, #"public: __cdecl app::A::A(void)"#),
    (#"??0B@app@@QAE@XZ"#, #"public: __thiscall app::B::B(void)"#),
    (#"??0B@app@@QEAA@XZ"#, #"public: __cdecl app::B::B(void)"#),
    (#"??0Base1@lib@@QEAA@XZ"#, #"public: __cdecl lib::Base1::Base1(void)"#),
    (#"??0Base2@lib@@QEAA@XZ"#, #"public: __cdecl lib::Base2::Base2(void)"#),
    (#"??0Base@app@@QEAA@XZ"#, #"public: __cdecl app::Base::Base(void)"#),
    (#"??0C@app@@QEAA@XZ"#, #"public: __cdecl app::C::C(void)"#),
    (#"??0Counter@app@@QAE@ABV01@@Z"#, #"public: __thiscall app::Counter::Counter(class app::Counter const &)"#),
    (#"??0Counter@app@@QEAA@$$QEAV01@@Z"#, #"public: __cdecl app::Counter::Counter(class app::Counter &&)"#),
    (#"??0Counter@app@@QEAA@AEBV01@@Z"#, #"public: __cdecl app::Counter::Counter(class app::Counter const &)"#),
    (#"??0Counter@app@@QEAA@H@Z"#, #"public: __cdecl app::Counter::Counter(int)"#),
    (#"??0Counter@app@@QEAA@XZ"#, #"public: __cdecl app::Counter::Counter(void)"#),
    (#"??0Derived@app@@QEAA@XZ"#, #"public: __cdecl app::Derived::Derived(void)"#),
    (#"??0Multi@lib@@QEAA@XZ"#, #"public: __cdecl lib::Multi::Multi(void)"#),
    (#"??0Str@lib@@QEAA@PEBD@Z"#, #"public: __cdecl lib::Str::Str(char const *)"#),
    (#"??0VB@app@@QAE@XZ"#, #"public: __thiscall app::VB::VB(void)"#),
    (#"??0VB@app@@QEAA@XZ"#, #"public: __cdecl app::VB::VB(void)"#),
    (#"??0VBase@lib@@QEAA@XZ"#, #"public: __cdecl lib::VBase::VBase(void)"#),
    (#"??0VD@app@@QEAA@XZ"#, #"public: __cdecl app::VD::VD(void)"#),
    (#"??0VDer@lib@@QEAA@XZ"#, #"public: __cdecl lib::VDer::VDer(void)"#),
    (#"??0Widget@app@@QEAA@XZ"#, #"public: __cdecl app::Widget::Widget(void)"#),
    (#"??1Base1@lib@@UEAA@XZ"#, #"public: virtual __cdecl lib::Base1::~Base1(void)"#),
    (#"??1Base2@lib@@UAE@XZ"#, #"public: virtual __thiscall lib::Base2::~Base2(void)"#),
    (#"??1Base2@lib@@UEAA@XZ"#, #"public: virtual __cdecl lib::Base2::~Base2(void)"#),
    (#"??1Counter@app@@UEAA@XZ"#, #"public: virtual __cdecl app::Counter::~Counter(void)"#),
    (#"??1Multi@lib@@UEAA@XZ"#, #"public: virtual __cdecl lib::Multi::~Multi(void)"#),
    (#"??1Str@lib@@QEAA@XZ"#, #"public: __cdecl lib::Str::~Str(void)"#),
    (#"??1VB@app@@UEAA@XZ"#, #"public: virtual __cdecl app::VB::~VB(void)"#),
    (#"??1VD@app@@UEAA@XZ"#, #"public: virtual __cdecl app::VD::~VD(void)"#),
    (#"??1Widget@app@@UAE@XZ"#, #"public: virtual __thiscall app::Widget::~Widget(void)"#),
    (#"??1Widget@app@@UEAA@XZ"#, #"public: virtual __cdecl app::Widget::~Widget(void)"#),
    (#"??2Counter@app@@SAPAXI@Z"#, #"public: static void * __cdecl app::Counter::operator new(unsigned int)"#),
    (#"??2Counter@app@@SAPEAX_K@Z"#, #"public: static void * __cdecl app::Counter::operator new(unsigned __int64)"#),
    (#"??3@YAXPAXI@Z"#, #"void __cdecl operator delete(void *, unsigned int)"#),
    (#"??3@YAXPEAX_K@Z"#, #"void __cdecl operator delete(void *, unsigned __int64)"#),
    (#"??3Counter@app@@SAXPAX@Z"#, #"public: static void __cdecl app::Counter::operator delete(void *)"#),
    (#"??4Counter@app@@QEAAAEAV01@$$QEAV01@@Z"#, #"public: class app::Counter & __cdecl app::Counter::operator=(class app::Counter &&)"#),
    (#"??4Counter@app@@QEAAAEAV01@AEBV01@@Z"#, #"public: class app::Counter & __cdecl app::Counter::operator=(class app::Counter const &)"#),
    (#"??5Counter@app@@QEAAAEAV01@H@Z"#, #"public: class app::Counter & __cdecl app::Counter::operator>>(int)"#),
    (#"??6Counter@app@@QEAAAEAV01@H@Z"#, #"public: class app::Counter & __cdecl app::Counter::operator<<(int)"#),
    (#"??7Counter@app@@QEBA_NXZ"#, #"public: bool __cdecl app::Counter::operator!(void) const"#),
    (#"??8Counter@app@@QBE_NABV01@@Z"#, #"public: bool __thiscall app::Counter::operator==(class app::Counter const &) const"#),
    (#"??8Counter@app@@QEBA_NAEBV01@@Z"#, #"public: bool __cdecl app::Counter::operator==(class app::Counter const &) const"#),
    (#"??9Counter@app@@QEBA_NAEBV01@@Z"#, #"public: bool __cdecl app::Counter::operator!=(class app::Counter const &) const"#),
    (#"??9Iter@?$Node@H@lib@@QEBA_NAEBU012@@Z"#, #"public: bool __cdecl lib::Node<int>::Iter::operator!=(struct lib::Node<int>::Iter const &) const"#),
    (#"??ACounter@app@@QEBAHH@Z"#, #"public: int __cdecl app::Counter::operator[](int) const"#),
    (#"??BCounter@app@@QEAAPEAHXZ"#, #"public: int * __cdecl app::Counter::operator int *(void)"#),
    (#"??BStr@lib@@QEBAPEBDXZ"#, #"public: char const * __cdecl lib::Str::operator char const *(void) const"#),
    (#"??CCounter@app@@QAEPAV01@XZ"#, #"public: class app::Counter * __thiscall app::Counter::operator->(void)"#),
    (#"??CCounter@app@@QEAAPEAV01@XZ"#, #"public: class app::Counter * __cdecl app::Counter::operator->(void)"#),
    (#"??DCounter@app@@QEBAHXZ"#, #"public: int __cdecl app::Counter::operator*(void) const"#),
    (#"??ECounter@app@@QEAA?AV01@H@Z"#, #"public: class app::Counter __cdecl app::Counter::operator++(int)"#),
    (#"??ECounter@app@@QEAAAEAV01@XZ"#, #"public: class app::Counter & __cdecl app::Counter::operator++(void)"#),
    (#"??EIter@?$Node@H@lib@@QEAAAEAU012@XZ"#, #"public: struct lib::Node<int>::Iter & __cdecl lib::Node<int>::Iter::operator++(void)"#),
    (#"??GCounter@app@@QEAAAEAV01@XZ"#, #"public: class app::Counter & __cdecl app::Counter::operator-(void)"#),
    (#"??HCounter@app@@QBE?AV01@ABV01@@Z"#, #"public: class app::Counter __thiscall app::Counter::operator+(class app::Counter const &) const"#),
    (#"??HCounter@app@@QEBA?AV01@AEBV01@@Z"#, #"public: class app::Counter __cdecl app::Counter::operator+(class app::Counter const &) const"#),
    (#"??MCounter@app@@QEBA_NAEBV01@@Z"#, #"public: bool __cdecl app::Counter::operator<(class app::Counter const &) const"#),
    (#"??QCounter@app@@QEAAHH@Z"#, #"public: int __cdecl app::Counter::operator,(int)"#),
    (#"??R<lambda_0>@?0??user@@YAHXZ@QEBA?A?<auto>@@H@Z"#, #"public: <auto> __cdecl `int __cdecl user(void)'::`1'::<lambda_0>::operator()(int) const"#),
    (#"??R<lambda_1>@?0??user@@YAHXZ@QEBA?A?<auto>@@H@Z"#, #"public: <auto> __cdecl `int __cdecl user(void)'::`1'::<lambda_1>::operator()(int) const"#),
    (#"??RCounter@app@@QEAAHHH@Z"#, #"public: int __cdecl app::Counter::operator()(int, int)"#),
    (#"??YCounter@app@@QAEAAV01@H@Z"#, #"public: class app::Counter & __thiscall app::Counter::operator+=(int)"#),
    (#"??YCounter@app@@QEAAAEAV01@H@Z"#, #"public: class app::Counter & __cdecl app::Counter::operator+=(int)"#),
    (#"??_0Counter@app@@QEAAAEAV01@H@Z"#, #"public: class app::Counter & __cdecl app::Counter::operator/=(int)"#),
    (#"??_1Counter@app@@QEAAAEAV01@H@Z"#, #"public: class app::Counter & __cdecl app::Counter::operator%=(int)"#),
    (#"??_4Counter@app@@QEAAAEAV01@H@Z"#, #"public: class app::Counter & __cdecl app::Counter::operator&=(int)"#),
    (#"??_5Counter@app@@QEAAAEAV01@H@Z"#, #"public: class app::Counter & __cdecl app::Counter::operator|=(int)"#),
    (#"??_6Counter@app@@QEAAAEAV01@H@Z"#, #"public: class app::Counter & __cdecl app::Counter::operator^=(int)"#),
    (#"??_7A@app@@6B@"#, #"const app::A::`vftable'"#),
    (#"??_7B@app@@6B@"#, #"const app::B::`vftable'"#),
    (#"??_7Base1@lib@@6B@"#, #"const lib::Base1::`vftable'"#),
    (#"??_7Base2@lib@@6B@"#, #"const lib::Base2::`vftable'"#),
    (#"??_7Base@app@@6B@"#, #"const app::Base::`vftable'"#),
    (#"??_7C@app@@6BA@1@@"#, #"const app::C::`vftable'{for `app::A'}"#),
    (#"??_7C@app@@6BB@1@@"#, #"const app::C::`vftable'{for `app::B'}"#),
    (#"??_7Derived@app@@6B@"#, #"const app::Derived::`vftable'"#),
    (#"??_7Multi@lib@@6BBase1@1@@"#, #"const lib::Multi::`vftable'{for `lib::Base1'}"#),
    (#"??_7Multi@lib@@6BBase2@1@@"#, #"const lib::Multi::`vftable'{for `lib::Base2'}"#),
    (#"??_7VB@app@@6B@"#, #"const app::VB::`vftable'"#),
    (#"??_7VBase@lib@@6B@"#, #"const lib::VBase::`vftable'"#),
    (#"??_7VD@app@@6B@"#, #"const app::VD::`vftable'"#),
    (#"??_7VDer@lib@@6B@"#, #"const lib::VDer::`vftable'"#),
    (#"??_7Widget@app@@6B@"#, #"const app::Widget::`vftable'"#),
    (#"??_7type_info@@6B@"#, #"const type_info::`vftable'"#),
    (#"??_8VD@app@@7B@"#, #"const app::VD::`vbtable'"#),
    (#"??_8VDer@lib@@7B@"#, #"const lib::VDer::`vbtable'"#),
    (#"??_C@_00CNPNBAHC@?$AA@"#, #""""#),
    (#"??_C@_01DICPFPGM@k?$AA@"#, #""k""#),
    (#"??_C@_01FJMABOPO@x?$AA@"#, #""x""#),
    (#"??_C@_01JEJKBAGA@g?$AA@"#, #""g""#),
    (#"??_C@_01LOCGONAA@?$AA?$AA@"#, #"u"""#),
    (#"??_C@_01MCMALHOG@a?$AA@"#, #""a""#),
    (#"??_C@_02BOGAIONP@ab?$AA@"#, #""ab""#),
    (#"??_C@_03FIKCJHKP@abc?$AA@"#, #""abc""#),
    (#"??_C@_03FNCBLAIF@a?$AA?$AA?$AA@"#, #"u"a""#),
    (#"??_C@_03KOKLJKA@a?$AAb?$AA@"#, #""a\0b""#),
    (#"??_C@_03NOLLCAOD@?$AA?$AA?$AA?$AA@"#, #"U"""#),
    (#"??_C@_04EHKALCEN@abcd?$AA@"#, #""abcd""#),
    (#"??_C@_04JNIPFGBP@a?$AA?$AA?$AA?$AA@"#, #""a\0\0\0""#),
    (#"??_C@_04LHHHFLPP@utf8?$AA@"#, #""utf8""#),
    (#"??_C@_04MKAGJJH@ab?$AA?$AA?$AA@"#, #""ab\0\0""#),
    (#"??_C@_05BMLKLNCL@a?$AAb?$AA?$AA?$AA@"#, #"u"ab""#),
    (#"??_C@_05JKPMFLFP@4?$BC?M?$KL?$AA?$AA@"#, #"u"\x1234\xABCD""#),
    (#"??_C@_05KMAHNHND@?C?$KJt?C?$KJ?$AA@"#, #""\xC3\xA9t\xC3\xA9""#),
    (#"??_C@_05PNNJBCBL@?$AB?$AC?$HP?$PP?i?$AA@"#, #""\x01\x02\x7F\xFF\xE9""#),
    (#"??_C@_06BALANBPF@x?$AAy?$AAz?$AA?$AA@"#, #""x\0y\0z\0""#),
    (#"??_C@_07IGJMIALD@a?$AA?$AA?$AA?$AA?$AA?$AA?$AA@"#, #"U"a""#),
    (#"??_C@_07OKDDHGAP@a?$AAb?$AAc?$AA?$AA?$AA@"#, #"u"abc""#),
    (#"??_C@_0BA@BEOKBMG@s?$AAi?$AAx?$AAt?$AAe?$AAe?$AAn?$AA?$AA?$AA@"#, #"u"sixteen""#),
    (#"??_C@_0BH@MGFHJOKC@?$HL?$HN?$FL?$FN?$CI?$CJ?$DM?$DO?$CB?$EA?$CD$?$CF?$FO?$CG?$CK_?$CL?$DN?$HM?$HO?$GA?$AA@"#, #""{}[]()<>!@#$%^&*_+=|~`""#),
    (#"??_C@_0BM@OCPABFN@tab?7here?6newline?5?$CCq?$CC?5?2?5done?$AA@"#, #""tab\there\nnewline \"q\" \\ done""#),
    (#"??_C@_0CA@OKCJCMBC@0123456789012345678901234567890?$AA@"#, #""0123456789012345678901234567890""#),
    (#"??_C@_0CB@DFAOFPNG@01234567890123456789012345678901@"#, #""01234567890123456789012345678901"..."#),
    (#"??_C@_0CC@ECNFKMLP@comma?0slash?1colon?3dot?4?5space?9das@"#, #""comma,slash/colon:dot. space-das"..."#),
    (#"??_C@_0CI@BJHINBFH@0?$AA1?$AA2?$AA3?$AA4?$AA5?$AA6?$AA7?$AA8?$AA9?$AAa?$AAb?$AAc?$AAd?$AAe?$AAf?$AA@"#, #"u"0123456789abcdef"..."#),
    (#"??_C@_0CM@HPMEPEBD@a?$AA?$AA?$AAb?$AA?$AA?$AAc?$AA?$AA?$AAd?$AA?$AA?$AAe?$AA?$AA?$AAf?$AA?$AA?$AAg?$AA?$AA?$AAh?$AA?$AA?$AA@"#, #"U"abcdefgh"..."#),
    (#"??_C@_0FA@BMKGCNBB@a?5fairly?5long?5string?5literal?5tha@"#, #""a fairly long string literal tha"..."#),
    (#"??_C@_0M@DJLMFFCE@?$AH?$AI?$AM?$AL?$AN?7?6?8?$CC?2?$DP?$AA@"#, #""\a\b\f\v\r\t\n\'\"\\?""#),
    (#"??_C@_0M@KFBDLODB@a?$AA?$AA?$AAb?$AA?$AA?$AA?$AA?$AA?$AA?$AA@"#, #"U"ab""#),
    (#"??_C@_13LOFADIAL@?$BC4?$AA?$AA@"#, #"L"\x1234""#),
    (#"??_C@_1BI@ELEPCAKA@?$AAw?$AAi?$AAd?$AAe?$AA?5?$AAs?$AAt?$AAr?$AAi?$AAn?$AAg?$AA?$AA@"#, #"L"wide string""#),
    (#"??_DVD@app@@QAEXXZ"#, #"public: void __thiscall app::VD::`vbase dtor'(void)"#),
    (#"??_DVD@app@@QEAAXXZ"#, #"public: void __cdecl app::VD::`vbase dtor'(void)"#),
    (#"??_EMulti@lib@@W7EAAPEAXI@Z"#, #"[thunk]: public: virtual void * __cdecl lib::Multi::`vector deleting dtor'`adjustor{8}'(unsigned int)"#),
    (#"??_GBase1@lib@@UEAAPEAXI@Z"#, #"public: virtual void * __cdecl lib::Base1::`scalar deleting dtor'(unsigned int)"#),
    (#"??_GBase2@lib@@UEAAPEAXI@Z"#, #"public: virtual void * __cdecl lib::Base2::`scalar deleting dtor'(unsigned int)"#),
    (#"??_GMulti@lib@@UEAAPEAXI@Z"#, #"public: virtual void * __cdecl lib::Multi::`scalar deleting dtor'(unsigned int)"#),
    (#"??_GVB@app@@UEAAPEAXI@Z"#, #"public: virtual void * __cdecl app::VB::`scalar deleting dtor'(unsigned int)"#),
    (#"??_GVD@app@@UAEPAXI@Z"#, #"public: virtual void * __thiscall app::VD::`scalar deleting dtor'(unsigned int)"#),
    (#"??_GVD@app@@UEAAPEAXI@Z"#, #"public: virtual void * __cdecl app::VD::`scalar deleting dtor'(unsigned int)"#),
    (#"??_GWidget@app@@UEAAPEAXI@Z"#, #"public: virtual void * __cdecl app::Widget::`scalar deleting dtor'(unsigned int)"#),
    (#"??_R1A@?0A@EA@Base@app@@8"#, #"app::Base::`RTTI Base Class Descriptor at (0, -1, 0, 64)'"#),
    (#"??_R1A@?0A@EA@C@app@@8"#, #"app::C::`RTTI Base Class Descriptor at (0, -1, 0, 64)'"#),
    (#"??_R1A@?0A@EA@VD@app@@8"#, #"app::VD::`RTTI Base Class Descriptor at (0, -1, 0, 64)'"#),
    (#"??_UCounter@app@@SAPAXI@Z"#, #"public: static void * __cdecl app::Counter::operator new[](unsigned int)"#),
    (#"??_UCounter@app@@SAPEAX_K@Z"#, #"public: static void * __cdecl app::Counter::operator new[](unsigned __int64)"#),
    (#"??_VCounter@app@@SAXPAX@Z"#, #"public: static void __cdecl app::Counter::operator delete[](void *)"#),
    (#"??__Eglobal_counter@@YAXXZ"#, #"void __cdecl `dynamic initializer for 'global_counter''(void)"#),
    (#"??__Fglobal_counter@@YAXXZ"#, #"void __cdecl `dynamic atexit destructor for 'global_counter''(void)"#),
    (#"??__Fguarded@?1??user@@YAHXZ@YAXXZ"#, #"void __cdecl `dynamic atexit destructor for '`int __cdecl user(void)'::`2'::guarded''(void)"#),
    (#"?Widget_use@@YAHXZ"#, #"int __cdecl Widget_use(void)"#),
    (#"?a@A@app@@UEAAXXZ"#, #"public: virtual void __cdecl app::A::a(void)"#),
    (#"?a@C@app@@UEAAXXZ"#, #"public: virtual void __cdecl app::C::a(void)"#),
    (#"?anonfn@?A0x6BAF263C@@YAHH@Z"#, #"int __cdecl `anonymous namespace'::anonfn(int)"#),
    (#"?arrays2@@YAXPAY112HAAY04$$CBD@Z"#, #"void __cdecl arrays2(int (*)[2][3], char const (&)[5])"#),
    (#"?at@?$Vec@N$03@app@@QEBANH@Z"#, #"public: double __cdecl app::Vec<double, 4>::at(int) const"#),
    (#"?b@B@app@@UEAAXXZ"#, #"public: virtual void __cdecl app::B::b(void)"#),
    (#"?b@C@app@@UAEXXZ"#, #"public: virtual void __thiscall app::C::b(void)"#),
    (#"?b@C@app@@UEAAXXZ"#, #"public: virtual void __cdecl app::C::b(void)"#),
    (#"?begin@?$Node@H@lib@@QEAA?AUIter@12@XZ"#, #"public: struct lib::Node<int>::Iter __cdecl lib::Node<int>::begin(void)"#),
    (#"?callenum@@YAHXZ"#, #"int __cdecl callenum(void)"#),
    (#"?callmax@@YAHXZ"#, #"int __cdecl callmax(void)"#),
    (#"?cc_cdecl@@YAXH@Z"#, #"void __cdecl cc_cdecl(int)"#),
    (#"?cc_fast@@YAXH@Z"#, #"void __cdecl cc_fast(int)"#),
    (#"?cc_fast@@YIXH@Z"#, #"void __fastcall cc_fast(int)"#),
    (#"?cc_std@@YAXHH@Z"#, #"void __cdecl cc_std(int, int)"#),
    (#"?cc_std@@YGXHH@Z"#, #"void __stdcall cc_std(int, int)"#),
    (#"?cc_vec@@YQXN@Z"#, #"void __vectorcall cc_vec(double)"#),
    (#"?consts@@YAXHN@Z"#, #"void __cdecl consts(int, double)"#),
    (#"?count@?$Box@H@app@@2HA"#, #"public: static int app::Box<int>::count"#),
    (#"?create@Counter@app@@SAPAV12@PBD_K@Z"#, #"public: static class app::Counter * __cdecl app::Counter::create(char const *, unsigned __int64)"#),
    (#"?dbl@lib@@YANNM@Z"#, #"double __cdecl lib::dbl(double, float)"#),
    (#"?deep@inner@outer@@YAHHHH@Z"#, #"int __cdecl outer::inner::deep(int, int, int)"#),
    (#"?dtor$4@?0??Widget_use@@YAHXZ@4HA"#, #"int `int __cdecl Widget_use(void)'::`1'::dtor$4"#),
    (#"?estr@@YAPBDXZ"#, #"char const * __cdecl estr(void)"#),
    (#"?f@Base1@lib@@UEAAHH@Z"#, #"public: virtual int __cdecl lib::Base1::f(int)"#),
    (#"?f@Base@app@@UEAAXXZ"#, #"public: virtual void __cdecl app::Base::f(void)"#),
    (#"?f@Deeper@Deep@Inner@@SAHPAU123@PAU23@PAU3@@Z"#, #"public: static int __cdecl Inner::Deep::Deeper::f(struct Inner::Deep::Deeper *, struct Inner::Deep *, struct Inner *)"#),
    (#"?f@Derived@app@@UEAAXXZ"#, #"public: virtual void __cdecl app::Derived::f(void)"#),
    (#"?f@Local@@QEAAHXZ"#, #"public: int __cdecl Local::f(void)"#),
    (#"?f@Multi@lib@@UAEHH@Z"#, #"public: virtual int __thiscall lib::Multi::f(int)"#),
    (#"?f@Multi@lib@@UEAAHH@Z"#, #"public: virtual int __cdecl lib::Multi::f(int)"#),
    (#"?f_arr@@YAXPAY02HAAY03H@Z"#, #"void __cdecl f_arr(int (*)[3], int (&)[4])"#),
    (#"?f_backref@@YAXUPoint@app@@0PAU12@1ABU12@2@Z"#, #"void __cdecl f_backref(struct app::Point, struct app::Point, struct app::Point *, struct app::Point *, struct app::Point const &, struct app::Point const &)"#),
    (#"?f_builtins@@YAXDCEFGHIJK_J_KMNO_N_W_S_U@Z"#, #"void __cdecl f_builtins(char, signed char, unsigned char, short, unsigned short, int, unsigned int, long, unsigned long, __int64, unsigned __int64, float, double, long double, bool, wchar_t, char16_t, char32_t)"#),
    (#"?f_char_ptrs@@YAXPADPA_WPB_WPAE@Z"#, #"void __cdecl f_char_ptrs(char *, wchar_t *, wchar_t const *, unsigned char *)"#),
    (#"?f_classes@@YAXUPoint@app@@TU@2@W4Color@2@W4Mode@2@VCounter@2@@Z"#, #"void __cdecl f_classes(struct app::Point, union app::U, enum app::Color, enum app::Mode, class app::Counter)"#),
    (#"?f_ellipsis@@YAXHZZ"#, #"void __cdecl f_ellipsis(int, ...)"#),
    (#"?f_fast@@YAXH@Z"#, #"void __cdecl f_fast(int)"#),
    (#"?f_fast@@YIXH@Z"#, #"void __fastcall f_fast(int)"#),
    (#"?f_fp@@YAXP6AHH@ZP6AXXZP6AH0@Z@Z"#, #"void __cdecl f_fp(int (__cdecl *)(int), void (__cdecl *)(void), int (__cdecl *)(int (__cdecl *)(int)))"#),
    (#"?f_fwd@@YAXPAUFwd@@@Z"#, #"void __cdecl f_fwd(struct Fwd *)"#),
    (#"?f_int64@@YAX_J_K@Z"#, #"void __cdecl f_int64(__int64, unsigned __int64)"#),
    (#"?f_int@@YAHH@Z"#, #"int __cdecl f_int(int)"#),
    (#"?f_large@@YAXHH_JIIPAD1@Z"#, #"void __cdecl f_large(int, int, __int64, unsigned int, unsigned int, char *, char *)"#),
    (#"?f_memptr@@YAXPEQPoint@app@@HP8Counter@2@EBAHXZ@Z"#, #"void __cdecl f_memptr(int app::Point::*, int (__cdecl app::Counter::*)(void) const)"#),
    (#"?f_nullptr@@YAX$$T@Z"#, #"void __cdecl f_nullptr(std::nullptr_t)"#),
    (#"?f_ptrs@@YAXPAHPBHPCHPDHQAHPAPAHPBQBD@Z"#, #"void __cdecl f_ptrs(int *, int const *, int volatile *, int const volatile *, int *const, int **, char const *const *)"#),
    (#"?f_refs@@YAXAAHABH$$QAHAAUPoint@app@@ABU12@@Z"#, #"void __cdecl f_refs(int &, int const &, int &&, struct app::Point &, struct app::Point const &)"#),
    (#"?f_ret_class@@YA?AUPoint@app@@XZ"#, #"struct app::Point __cdecl f_ret_class(void)"#),
    (#"?f_ret_const_class@@YA?BUPoint@app@@XZ"#, #"struct app::Point const __cdecl f_ret_const_class(void)"#),
    (#"?f_ret_ptr@@YAPAHXZ"#, #"int * __cdecl f_ret_ptr(void)"#),
    (#"?f_ret_ref@@YAABUPoint@app@@XZ"#, #"struct app::Point const & __cdecl f_ret_ref(void)"#),
    (#"?f_std@@YAXH@Z"#, #"void __cdecl f_std(int)"#),
    (#"?f_std@@YGXH@Z"#, #"void __stdcall f_std(int)"#),
    (#"?f_tmpl2@@YAXABU?$Box@H@app@@PAU12@U?$Box@D@2@@Z"#, #"void __cdecl f_tmpl2(struct app::Box<int> const &, struct app::Box<int> *, struct app::Box<char>)"#),
    (#"?f_tmpl@@YAXU?$Box@H@app@@U?$Box@UPoint@app@@@2@U?$Arr@$02@2@U?$Arr@$0?0@2@U?$Vec@N$03@2@U?$Box@U?$Box@H@app@@@2@@Z"#, #"void __cdecl f_tmpl(struct app::Box<int>, struct app::Box<struct app::Point>, struct app::Arr<3>, struct app::Arr<-1>, struct app::Vec<double, 4>, struct app::Box<struct app::Box<int>>)"#),
    (#"?f_vec@@YQXH@Z"#, #"void __vectorcall f_vec(int)"#),
    (#"?f_void@@YAXXZ"#, #"void __cdecl f_void(void)"#),
    (#"?f_void_ptr@@YAXPAXPBX@Z"#, #"void __cdecl f_void_ptr(void *, void const *)"#),
    (#"?fnt@@YAXU?$Fn@$$A6AXH@Z@app@@U?$Fn@P6AHD@Z@2@U?$Fn@$$BY02H@2@U?$Fn@PBH@2@@Z"#, #"void __cdecl fnt(struct app::Fn<void __cdecl(int)>, struct app::Fn<int (__cdecl *)(char)>, struct app::Fn<int[3]>, struct app::Fn<int const *>)"#),
    (#"?fpret@@YAXP6AP6AHD@ZH@Z@Z"#, #"void __cdecl fpret(int (__cdecl * (__cdecl *)(int))(char))"#),
    (#"?g@Base2@lib@@UEAAHH@Z"#, #"public: virtual int __cdecl lib::Base2::g(int)"#),
    (#"?g@In@?1??f@Local@@QEAAHXZ@SAHXZ"#, #"public: static int __cdecl `public: int __cdecl Local::f(void)'::`2'::In::g(void)"#),
    (#"?g@Multi@lib@@UEAAHH@Z"#, #"public: virtual int __cdecl lib::Multi::g(int)"#),
    (#"?get@?$Box@H@app@@QEBAHXZ"#, #"public: int __cdecl app::Box<int>::get(void) const"#),
    (#"?get@Acc@lib@@QBEHXZ"#, #"public: int __thiscall lib::Acc::get(void) const"#),
    (#"?get@Acc@lib@@QEBAHXZ"#, #"public: int __cdecl lib::Acc::get(void) const"#),
    (#"?get@Counter@app@@QEBAHXZ"#, #"public: int __cdecl app::Counter::get(void) const"#),
    (#"?getv@Counter@app@@QECAHXZ"#, #"public: int __cdecl app::Counter::getv(void) volatile"#),
    (#"?global_arr@@3PAHA"#, #"int *global_arr"#),
    (#"?global_counter@@3VCounter@app@@A"#, #"class app::Counter global_counter"#),
    (#"?global_fp@@3P6AHHD@ZA"#, #"int (__cdecl *global_fp)(int, char)"#),
    (#"?global_int@@3HA"#, #"int global_int"#),
    (#"?global_ptr@@3PAHA"#, #"int *global_ptr"#),
    (#"?global_str@@3PBDB"#, #"char const *global_str"#),
    (#"?global_vol@@3HC"#, #"int volatile global_vol"#),
    (#"?guarded@?1??user@@YAHXZ@4UStr@lib@@A"#, #"struct lib::Str `int __cdecl user(void)'::`2'::guarded"#),
    (#"?h@VBase@lib@@UEAAHXZ"#, #"public: virtual int __cdecl lib::VBase::h(void)"#),
    (#"?h@VDer@lib@@UEAAHXZ"#, #"public: virtual int __cdecl lib::VDer::h(void)"#),
    (#"?instances@Counter@app@@2HA"#, #"public: static int app::Counter::instances"#),
    (#"?kConst@Widget@app@@0HB"#, #"private: static int const app::Widget::kConst"#),
    (#"?local_static@?1??use@@YAXXZ@4HA"#, #"int `void __cdecl use(void)'::`2'::local_static"#),
    (#"?lstr@@YAPBDXZ"#, #"char const * __cdecl lstr(void)"#),
    (#"?m@S@inner@outer@@QEAAXPEAU123@AEBU123@$$QEAU123@@Z"#, #"public: void __cdecl outer::inner::S::m(struct outer::inner::S *, struct outer::inner::S const &, struct outer::inner::S &&)"#),
    (#"?m@TC@@QAEXH@Z"#, #"public: void __thiscall TC::m(int)"#),
    (#"?m@TC@@QEAAXH@Z"#, #"public: void __cdecl TC::m(int)"#),
    (#"?many_backrefs@@YAXU?$Holder@H@app@@U?$Holder@D@2@01PAU?$Holder@F@2@2@Z"#, #"void __cdecl many_backrefs(struct app::Holder<int>, struct app::Holder<char>, struct app::Holder<int>, struct app::Holder<char>, struct app::Holder<short> *, struct app::Holder<short> *)"#),
    (#"?mc@TC@@QEAAXH@Z"#, #"public: void __cdecl TC::mc(int)"#),
    (#"?ms@TC@@QAGXH@Z"#, #"public: void __stdcall TC::ms(int)"#),
    (#"?ms@TC@@QEAAXH@Z"#, #"public: void __cdecl TC::ms(int)"#),
    (#"?name@?$Tag@$01@lib@@SAPBDXZ"#, #"public: static char const * __cdecl lib::Tag<2>::name(void)"#),
    (#"?nested_fp@@YAXP6AXP6AXH@Z0@Z@Z"#, #"void __cdecl nested_fp(void (__cdecl *)(void (__cdecl *)(int), void (__cdecl *)(int)))"#),
    (#"?plus1@lib@@YAHH@Z"#, #"int __cdecl lib::plus1(int)"#),
    (#"?priv@Widget@app@@AEAAHMNO@Z"#, #"private: int __cdecl app::Widget::priv(float, double, long double)"#),
    (#"?prot@Widget@app@@IEAAHFG@Z"#, #"protected: int __cdecl app::Widget::prot(short, unsigned short)"#),
    (#"?pub@Widget@app@@QEAAHH@Z"#, #"public: int __cdecl app::Widget::pub(int)"#),
    (#"?put@?$Box@H@app@@QEAAXAEBH@Z"#, #"public: void __cdecl app::Box<int>::put(int const &)"#),
    (#"?ref@Counter@app@@QEGAAAEAHXZ"#, #"public: int & __cdecl app::Counter::ref(void) &"#),
    (#"?ref@Counter@app@@QEHAA$$QEAHXZ"#, #"public: int && __cdecl app::Counter::ref(void) &&"#),
    (#"?ref@Counter@app@@QHAE$$QAHXZ"#, #"public: int && __thiscall app::Counter::ref(void) &&"#),
    (#"?retref@@YAAAHAAH@Z"#, #"int & __cdecl retref(int &)"#),
    (#"?rvfn@@YAX$$QAU?$Holder@H@app@@$$QBU12@@Z"#, #"void __cdecl rvfn(struct app::Holder<int> &&, struct app::Holder<int> const &&)"#),
    (#"?set@Counter@app@@QEAAXH@Z"#, #"public: void __cdecl app::Counter::set(int)"#),
    (#"?sf@TC@@SAXH@Z"#, #"public: static void __cdecl TC::sf(int)"#),
    (#"?sf@TC@@SIXH@Z"#, #"public: static void __fastcall TC::sf(int)"#),
    (#"?size@?$Arr@$02@app@@QEBAHXZ"#, #"public: int __cdecl app::Arr<3>::size(void) const"#),
    (#"?size@?$Wrap@UOpt@lib@@N@lib@@QEBAHXZ"#, #"public: int __cdecl lib::Wrap<struct lib::Opt, double>::size(void) const"#),
    (#"?spriv@Widget@app@@CA_N_N_W@Z"#, #"private: static bool __cdecl app::Widget::spriv(bool, wchar_t)"#),
    (#"?sprivdata@Widget@app@@0DA"#, #"private: static char app::Widget::sprivdata"#),
    (#"?sprot@Widget@app@@KAJJK@Z"#, #"protected: static long __cdecl app::Widget::sprot(long, unsigned long)"#),
    (#"?sprotdata@Widget@app@@1NA"#, #"protected: static double app::Widget::sprotdata"#),
    (#"?sptr@Widget@app@@0PAHA"#, #"private: static int *app::Widget::sptr"#),
    (#"?spub@Widget@app@@SAHXZ"#, #"public: static int __cdecl app::Widget::spub(void)"#),
    (#"?sum@?$Ints@$00$01$02@lib@@SAHXZ"#, #"public: static int __cdecl lib::Ints<1, 2, 3>::sum(void)"#),
    (#"?sum@?$Ints@$S@lib@@SAHXZ"#, #"public: static int __cdecl lib::Ints<>::sum(void)"#),
    (#"?t@?1???$instance@H@lib@@YAAAHXZ@4HA"#, #"int `int & __cdecl lib::instance<int>(void)'::`2'::t"#),
    (#"?t@?1???$instance@U?$Opt@J@lib@@@lib@@YAAAU?$Opt@J@1@XZ@4U21@A"#, #"struct lib::Opt<long> `struct lib::Opt<long> & __cdecl lib::instance<struct lib::Opt<long>>(void)'::`2'::t"#),
    (#"?takes@@YAXU?$Tuple@HU?$Tuple@$$V@lib@@U?$Opt@D@2@@lib@@PAU?$Pair@U?$Opt@H@lib@@U12@@2@1@Z"#, #"void __cdecl takes(struct lib::Tuple<int, struct lib::Tuple<>, struct lib::Opt<char>>, struct lib::Pair<struct lib::Opt<int>, struct lib::Opt<int>> *, struct lib::Pair<struct lib::Opt<int>, struct lib::Opt<int>> *)"#),
    (#"?takes_fn@@YAXP6AHH@Z0P8Acc@lib@@EAANH@ZAEBQEBU12@@Z"#, #"void __cdecl takes_fn(int (__cdecl *)(int), int (__cdecl *)(int), double (__cdecl lib::Acc::*)(int), struct lib::Acc const *const &)"#),
    (#"?takes_nested@@YAXUIter@?$Node@H@lib@@PAU1?$Node@U?$Opt@H@lib@@@3@@Z"#, #"void __cdecl takes_nested(struct lib::Node<int>::Iter, struct lib::Node<struct lib::Opt<int>>::Iter *)"#),
    (#"?tick@Counter@app@@UEAAXXZ"#, #"public: virtual void __cdecl app::Counter::tick(void)"#),
    (#"?tl@?1??user@@YAHXZ@4HA"#, #"int `int __cdecl user(void)'::`2'::tl"#),
    (#"?tock@Counter@app@@UBEHN@Z"#, #"public: virtual int __thiscall app::Counter::tock(double) const"#),
    (#"?tock@Counter@app@@UEBAHN@Z"#, #"public: virtual int __cdecl app::Counter::tock(double) const"#),
    (#"?total@Acc@lib@@QEDA_JG_W_N@Z"#, #"public: __int64 __cdecl lib::Acc::total(unsigned short, wchar_t, bool) const volatile"#),
    (#"?touch@app@@YAHXZ"#, #"int __cdecl app::touch(void)"#),
    (#"?tt@@YAXU?$TTHolder@UHolder@app@@@app@@@Z"#, #"void __cdecl tt(struct app::TTHolder<struct app::Holder>)"#),
    (#"?unsigned_stuff@@YAXPAEQBEPCK@Z"#, #"void __cdecl unsigned_stuff(unsigned char *, unsigned char const *const, unsigned long volatile *)"#),
    (#"?use@@YAXXZ"#, #"void __cdecl use(void)"#),
    (#"?user@@YAHXZ"#, #"int __cdecl user(void)"#),
    (#"?ustr@@YAPB_SXZ"#, #"char16_t const * __cdecl ustr(void)"#),
    (#"?value_or@?$Opt@H@lib@@QEBAHH@Z"#, #"public: int __cdecl lib::Opt<int>::value_or(int) const"#),
    (#"?value_or@?$Opt@J@lib@@QEBAJJ@Z"#, #"public: long __cdecl lib::Opt<long>::value_or(long) const"#),
    (#"?value_or@?$Opt@U?$Pair@HD@lib@@@lib@@QEBA?AU?$Pair@HD@2@U32@@Z"#, #"public: struct lib::Pair<int, char> __cdecl lib::Opt<struct lib::Pair<int, char>>::value_or(struct lib::Pair<int, char>) const"#),
    (#"?volatile_ptrs@@YAXSCHRAH@Z"#, #"void __cdecl volatile_ptrs(int volatile *const volatile, int *volatile)"#),
    (#"?vpriv@Widget@app@@EEAAH_S_U@Z"#, #"private: virtual int __cdecl app::Widget::vpriv(char16_t, char32_t)"#),
    (#"?vprot@Widget@app@@MAEHDCE@Z"#, #"protected: virtual int __thiscall app::Widget::vprot(char, signed char, unsigned char)"#),
    (#"?vprot@Widget@app@@MEAAHDCE@Z"#, #"protected: virtual int __cdecl app::Widget::vprot(char, signed char, unsigned char)"#),
    (#"?vpub@Widget@app@@UEAAHXZ"#, #"public: virtual int __cdecl app::Widget::vpub(void)"#),
    (#"?wstr@@YAPB_WXZ"#, #"wchar_t const * __cdecl wstr(void)"#),
]

/// MSVC decorated names written by hand, checked against llvm-undname.
private let microsoftHandWritten: [(String, String)] = [
    (#"?x@@3PAQBDA"#, #"char const *const *x"#),
    (#"?x@@3PBQBDA"#, #"char const *const *x"#),
    (#"?x@@3QEAHEA"#, #"int *const x"#),
    (#"?x@@3QEBHEB"#, #"int const *const x"#),
    (#"?x@@3PEAHEB"#, #"int const *x"#),
    (#"?b@C@@W7EAAXXZ"#, #"[thunk]: public: virtual void __cdecl C::b`adjustor{8}'(void)"#),
    (#"?b@C@@G7EAAXXZ"#, #"[thunk]: private: void __cdecl C::b`adjustor{8}'(void)"#),
    (#"?b@C@@O7EAAXXZ"#, #"[thunk]: protected: virtual void __cdecl C::b`adjustor{8}'(void)"#),
    (#"??__Ev@ns@@YAXXZ"#, #"void __cdecl `dynamic initializer for 'ns::v''(void)"#),
    (#"??__E?x@A@@2HA@@YAXXZ"#, #"void __cdecl `dynamic initializer for `public: static int A::x''(void)"#),
    (#"??__Fv@@YAXXZ"#, #"void __cdecl `dynamic atexit destructor for 'v''(void)"#),
    (#"??0?$Box@H@app@@QEAA@XZ"#, #"public: __cdecl app::Box<int>::Box<int>(void)"#),
    (#"??1?$Box@H@app@@QEAA@XZ"#, #"public: __cdecl app::Box<int>::~Box<int>(void)"#),
    (#"?f@?A0x12@@YAXUS@?A0x12@@@Z"#, #"void __cdecl `anonymous namespace'::f(struct `anonymous namespace'::S)"#),
    (#"??_B?1??f@@YAXXZ@51"#, #"`void __cdecl f(void)'::`2'::`local static guard'{2}"#),
    (#"?f@@YAXPEIAH@Z"#, #"void __cdecl f(int *__restrict)"#),
    (#"?f@@YAXPEFAH@Z"#, #"void __cdecl f(int __unaligned *)"#),
    (#"?f@@YAXAEIAH@Z"#, #"void __cdecl f(int &__restrict)"#),
    (#"?f@X@@QEIAAXXZ"#, #"public: void __cdecl X::f(void) __restrict"#),
    (#"?f@X@@QEFAAXXZ"#, #"public: void __cdecl X::f(void) __unaligned"#),
    (#"??$f@$$Y?$A@H@@@@YAXXZ"#, #"void __cdecl f<A<int>>(void)"#),
    (#"?f@@YAXPEAY1BA@2H@Z"#, #"void __cdecl f(int (*)[16][3])"#),
    (#"?x@@3PAPAHA"#, #"int **x"#),
    (#"?x@@3PAPBHA"#, #"int const **x"#),
    (#"?f@@YA?AHXZ"#, #"int __cdecl f(void)"#),
    (#"?f@@YA?BHXZ"#, #"int const __cdecl f(void)"#),
    (#"?f@@YAP6AHH@ZXZ"#, #"int (__cdecl * __cdecl f(void))(int)"#),
    (#"?f@@YAXAAY02H@Z"#, #"void __cdecl f(int (&)[3])"#),
    (#"?f@@YAXQAH@Z"#, #"void __cdecl f(int *const)"#),
    (#"??_9A@@$BA@AA"#, #"[thunk]: __cdecl A::`vcall'{0, {flat}}"#),
    (#"?f@@YAXP8A@@AEXXZ@Z"#, #"void __cdecl f(void (__thiscall A::*)(void))"#),
    (#"??_7C@@6B@"#, #"const C::`vftable'"#),
    (#"??_R0H@8"#, #"int `RTTI Type Descriptor'"#),
    (#"?x@@3U?$A@$1?y@@3HA@@A"#, #"struct A<&int y> x"#),
    (#"??$f@$$BY02H@@YAXXZ"#, #"void __cdecl f<int[3]>(void)"#),
    (#"??$f@$$CBH@@YAXXZ"#, #"void __cdecl f<int const>(void)"#),
    (#"?f@@YAXPEAX0@Z"#, #"void __cdecl f(void *, void *)"#),
    (#"?f@@YAXV?$A@H@@0@Z"#, #"void __cdecl f(class A<int>, class A<int>)"#),
    (#"?f@@YAXV?$A@V?$B@H@@@@V?$B@H@@@Z"#, #"void __cdecl f(class A<class B<int>>, class B<int>)"#),
    (#"?f@@YAXV?$A@V?$B@H@@V1@@@@Z"#, #"void __cdecl f(class A<class B<int>, class B<int>>)"#),
    (#"??$f@H@@YAXV?$f@H@@@Z"#, #"void __cdecl f<int>(class f<int>)"#),
    (#"??$f@UA@@U1@@@YAXUA@@@Z"#, #"void __cdecl f<struct A, struct A>(struct A)"#),
    (#"??2@YAPEAX_K@Z"#, #"void * __cdecl operator new(unsigned __int64)"#),
    (#"??3@YAXPEAX@Z"#, #"void __cdecl operator delete(void *)"#),
    (#"??_U@YAPEAX_K@Z"#, #"void * __cdecl operator new[](unsigned __int64)"#),
    (#"??_V@YAXPEAX@Z"#, #"void __cdecl operator delete[](void *)"#),
    (#"??4A@@QEAAAEAU0@AEBU0@@Z"#, #"public: struct A & __cdecl A::operator=(struct A const &)"#),
    (#"??FA@@QEAAAEAU0@XZ"#, #"public: struct A & __cdecl A::operator--(void)"#),
    (#"??IA@@QEAAHH@Z"#, #"public: int __cdecl A::operator&(int)"#),
    (#"??JA@@QEAAHH@Z"#, #"public: int __cdecl A::operator->*(int)"#),
    (#"??KA@@QEAAHH@Z"#, #"public: int __cdecl A::operator/(int)"#),
    (#"??LA@@QEAAHH@Z"#, #"public: int __cdecl A::operator%(int)"#),
    (#"??NA@@QEAAHH@Z"#, #"public: int __cdecl A::operator<=(int)"#),
    (#"??OA@@QEAAHH@Z"#, #"public: int __cdecl A::operator>(int)"#),
    (#"??PA@@QEAAHH@Z"#, #"public: int __cdecl A::operator>=(int)"#),
    (#"??SA@@QEAAHXZ"#, #"public: int __cdecl A::operator~(void)"#),
    (#"??TA@@QEAAHH@Z"#, #"public: int __cdecl A::operator^(int)"#),
    (#"??UA@@QEAAHH@Z"#, #"public: int __cdecl A::operator|(int)"#),
    (#"??VA@@QEAAHH@Z"#, #"public: int __cdecl A::operator&&(int)"#),
    (#"??WA@@QEAAHH@Z"#, #"public: int __cdecl A::operator||(int)"#),
    (#"??XA@@QEAAHH@Z"#, #"public: int __cdecl A::operator*=(int)"#),
    (#"??ZA@@QEAAHH@Z"#, #"public: int __cdecl A::operator-=(int)"#),
    (#"??_2A@@QEAAHH@Z"#, #"public: int __cdecl A::operator>>=(int)"#),
    (#"??_3A@@QEAAHH@Z"#, #"public: int __cdecl A::operator<<=(int)"#),
    (#"??_EA@@UEAAPEAXI@Z"#, #"public: virtual void * __cdecl A::`vector deleting dtor'(unsigned int)"#),
    (#"??_DA@@QEAAXXZ"#, #"public: void __cdecl A::`vbase dtor'(void)"#),
    (#"??_FA@@QEAAXXZ"#, #"public: void __cdecl A::`default ctor closure'(void)"#),
    (#"??_OA@@QEAAXXZ"#, #"public: void __cdecl A::`copy ctor closure'(void)"#),
    (#"??__MA@@QEAAHH@Z"#, #"public: int __cdecl A::operator<=>(int)"#),
    (#"??__LA@@QEAAHXZ"#, #"public: int __cdecl A::operator co_await(void)"#),
    (#"??$?6H@A@@QEAAHH@Z"#, #"public: int __cdecl A::operator<<<int>(int)"#),
    (#"??$?HH@@YAHHH@Z"#, #"int __cdecl operator+<int>(int, int)"#),
    (#"?f@@YAXP6GXH@Z@Z"#, #"void __cdecl f(void (__stdcall *)(int))"#),
    (#"?f@@YAXP6IXH@Z@Z"#, #"void __cdecl f(void (__fastcall *)(int))"#),
    (#"?f@@YAXP6QXH@Z@Z"#, #"void __cdecl f(void (__vectorcall *)(int))"#),
    (#"?f@@YAXP6EXH@Z@Z"#, #"void __cdecl f(void (__thiscall *)(int))"#),
    (#"?f@@YGXH@Z"#, #"void __stdcall f(int)"#),
    (#"?f@@YIXH@Z"#, #"void __fastcall f(int)"#),
    (#"?f@@YQXH@Z"#, #"void __vectorcall f(int)"#),
    (#"?f@@YEXH@Z"#, #"void __thiscall f(int)"#),
    (#"?f@@YCXH@Z"#, #"void __pascal f(int)"#),
    (#"?f@A@@AAEXH@Z"#, #"private: void __thiscall A::f(int)"#),
    (#"?f@A@@BAEXH@Z"#, #"private: void __thiscall A::f(int)"#),
    (#"?f@A@@CAXH@Z"#, #"private: static void __cdecl A::f(int)"#),
    (#"?f@A@@DAXH@Z"#, #"private: static void __cdecl A::f(int)"#),
    (#"?f@A@@IAEXH@Z"#, #"protected: void __thiscall A::f(int)"#),
    (#"?f@A@@KAXH@Z"#, #"protected: static void __cdecl A::f(int)"#),
    (#"?f@A@@MAEXH@Z"#, #"protected: virtual void __thiscall A::f(int)"#),
    (#"?f@A@@QAEXH@Z"#, #"public: void __thiscall A::f(int)"#),
    (#"?f@A@@SAXH@Z"#, #"public: static void __cdecl A::f(int)"#),
    (#"?f@A@@UAEXH@Z"#, #"public: virtual void __thiscall A::f(int)"#),
    (#"?f@@YAXW4E@@@Z"#, #"void __cdecl f(enum E)"#),
    (#"?f@@YAXPAPAPAPAH@Z"#, #"void __cdecl f(int ****)"#),
    (#"?f@@YAXPAX0000000000@Z"#, #"void __cdecl f(void *, void *, void *, void *, void *, void *, void *, void *, void *, void *, void *)"#),
    (#"?f@@YAXPAXPAHPAFPAGPAIPAJPAKPAMPANPAOPA_NPA_K0123456789@Z"#, #"void __cdecl f(void *, int *, short *, unsigned short *, unsigned int *, long *, unsigned long *, float *, double *, long double *, bool *, unsigned __int64 *, void *, int *, short *, unsigned short *, unsigned int *, long *, unsigned long *, float *, double *, long double *)"#),
    (#"?x@@3PEAY01HEA"#, #"int (*x)[2]"#),
    (#"?x@@3PEQA@@HEQ1@"#, #"int A::*x"#),
    (#"?x@@3P8A@@EAAXXZEQ1@"#, #"void (__cdecl A::*x)(void)"#),
    (#"?x@@3HA"#, #"int x"#),
    (#"??_R4C@@6BA@@@"#, #"const C::`RTTI Complete Object Locator'{for `A'}"#),
    (#"??_8C@@7BA@@@"#, #"const C::`vbtable'{for `A'}"#),
    (#"?f@@YAXPEBQEBD@Z"#, #"void __cdecl f(char const *const *)"#),
    (#"?f@@YAXPECQECD@Z"#, #"void __cdecl f(char volatile *const volatile *)"#),
    (#"?f@@YAXAEBQEAD@Z"#, #"void __cdecl f(char *const &)"#),
    (#"?f@@YAX$$QEAPEAH@Z"#, #"void __cdecl f(int *&&)"#),
    (#"?f@@YAXP6AXXZP6AXXZ@Z"#, #"void __cdecl f(void (__cdecl *)(void), void (__cdecl *)(void))"#),
    (#"?f@@YAXP6AXP6AXXZ@Z0@Z"#, #"void __cdecl f(void (__cdecl *)(void (__cdecl *)(void)), void (__cdecl *)(void))"#),
    (#"??$f@$0?A@@@YAXXZ"#, #"void __cdecl f<-0>(void)"#),
    (#"??$f@$0PPPPPPPPPPPPPPPP@@@YAXXZ"#, #"void __cdecl f<18446744073709551615>(void)"#),
    (#"??$f@$0IAAAAAAAAAAAAAAA@@@YAXXZ"#, #"void __cdecl f<9223372036854775808>(void)"#),
    (#"??$f@$0?IAAAAAAAAAAAAAAA@@@YAXXZ"#, #"void __cdecl f<-9223372036854775808>(void)"#),
    (#"?x@?1??f@@YAXXZ@4HA"#, #"int `void __cdecl f(void)'::`2'::x"#),
    (#"?x@?BA@??f@@YAXXZ@4HA"#, #"int `void __cdecl f(void)'::`16'::x"#),
    (#"?x@?1??f@A@@QEAAXXZ@4HA"#, #"int `public: void __cdecl A::f(void)'::`2'::x"#),
    (#"?x@?1??f@1@YAXXZ@4HA"#, #"int `void __cdecl f::f(void)'::`2'::x"#),
    (#"?x@?1??f@@YAXUA@@@Z@4U2@A"#, #"struct A `void __cdecl f(struct A)'::`2'::x"#),
    (#"?x@?1??f@@YAXUA@@@Z@4UA@@A"#, #"struct A `void __cdecl f(struct A)'::`2'::x"#),
    (#"?$TSS0@?1??f@@YAXXZ@4HA"#, #"int `void __cdecl f(void)'::`2'::$TSS0"#),
    (#"?f@@YAXPEAV?$A@$$V@@@Z"#, #"void __cdecl f(class A<> *)"#),
    (#"?f@?$A@$$V@@QEAAXXZ"#, #"public: void __cdecl A<>::f(void)"#),
    (#"??$f@$$$V@@YAXXZ"#, #"void __cdecl f<>(void)"#),
    (#"?f@@YAX$$T@Z"#, #"void __cdecl f(std::nullptr_t)"#),
    (#"?f@@YAXAEA_W@Z"#, #"void __cdecl f(wchar_t &)"#),
    (#"?f@@YA_NXZ"#, #"bool __cdecl f(void)"#),
    (#"?f@@3HA"#, #"int f"#),
    (#"?x@A@@0HA"#, #"private: static int A::x"#),
    (#"?x@A@@1HA"#, #"protected: static int A::x"#),
    (#"?x@A@@2HA"#, #"public: static int A::x"#),
    (#"?x@A@@2PEBHEB"#, #"public: static int const *A::x"#),
    (#"?x@A@@2P6AXXZEA"#, #"public: static void (__cdecl *A::x)(void)"#),
    (#"??$?0H@A@@QEAA@H@Z"#, #"public: __cdecl A::A<int>(int)"#),
    (#"??$?6H@@YAHHH@Z"#, #"int __cdecl operator<<<int>(int, int)"#),
    (#"??$?6H@A@@QEAAHH@Z"#, #"public: int __cdecl A::operator<<<int>(int)"#),
    (#"?f@@YAX?<auto>@@@Z"#, #"void __cdecl f(<auto>)"#),
    (#"??$f@?<auto>@@@@YAXXZ"#, #"void __cdecl f<<auto>>(void)"#),
    (#"?f@@YAXPEA?<auto>@@@Z"#, #"void __cdecl f(<auto> *)"#),
    (#"??$?1H@A@@QEAA@XZ"#, #"public: __cdecl A::~A<int>(void)"#),
    (#"??$?HH@A@@QEAAHH@Z"#, #"public: int __cdecl A::operator+<int>(int)"#),
]

/// Itanium names from real mingw objects (x86_64, and i386 with its extra underscore).
private let itaniumFromObjects: [(String, String)] = [
    (#"_Z10f_builtinscahstijlmxyfdebwDsDi"#, #"f_builtins(char, signed char, unsigned char, short, unsigned short, int, unsigned int, long, unsigned long, long long, unsigned long long, float, double, long double, bool, wchar_t, char16_t, char32_t)"#),
    (#"_Z10f_ellipsisiz"#, #"f_ellipsis(int, ...)"#),
    (#"_Z10f_std_pairSt4pairIidE"#, #"f_std_pair(std::pair<int, double>)"#),
    (#"_Z10f_std_uptrSt10unique_ptrIN3app5PointESt14default_deleteIS1_EESt10shared_ptrINS0_7CounterEE"#, #"f_std_uptr(std::unique_ptr<app::Point, std::default_delete<app::Point> >, std::shared_ptr<app::Counter>)"#),
    (#"_Z10f_void_ptrPvPKv"#, #"f_void_ptr(void*, void const*)"#),
    (#"_Z11f_ret_classv"#, #"f_ret_class()"#),
    (#"_Z11f_std_allocSaIcE"#, #"f_std_alloc(std::allocator<char>)"#),
    (#"_Z12f_std_stringRKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEES4_NS0_IwS1_IwESaIwEEE"#, #"f_std_string(std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const&, std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >, std::__cxx11::basic_string<wchar_t, std::char_traits<wchar_t>, std::allocator<wchar_t> >)"#),
    (#"_Z12f_std_vectorRSt6vectorIiSaIiEERKS_INSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEESaIS8_EE"#, #"f_std_vector(std::vector<int, std::allocator<int> >&, std::vector<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >, std::allocator<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > > > const&)"#),
    (#"_Z13f_std_ostreamRSoRSiRSd"#, #"f_std_ostream(std::ostream&, std::istream&, std::iostream&)"#),
    (#"_Z14f_std_functionSt8functionIFiiEE"#, #"f_std_function(std::function<int (int)>)"#),
    (#"_Z2tfIN3app5PointEET_S2_"#, #"app::Point tf<app::Point>(app::Point)"#),
    (#"_Z2tfIPKcET_S2_"#, #"char const* tf<char const*>(char const*)"#),
    (#"_Z2tfIPN3app5PointEET_S3_"#, #"app::Point* tf<app::Point*>(app::Point*)"#),
    (#"_Z2tfIdET_S0_"#, #"double tf<double>(double)"#),
    (#"_Z2tfIiET_S0_"#, #"int tf<int>(int)"#),
    (#"_Z2tnILi0EEiv"#, #"int tn<0>()"#),
    (#"_Z2tnILi5EEiv"#, #"int tn<5>()"#),
    (#"_Z2tnILin7EEiv"#, #"int tn<-7>()"#),
    (#"_Z3tf2IN3app3BoxIiEEPS2_EvT_T0_"#, #"void tf2<app::Box<int>, app::Box<int>*>(app::Box<int>, app::Box<int>*)"#),
    (#"_Z3tf2IN3app5PointEPS1_EvT_T0_"#, #"void tf2<app::Point, app::Point*>(app::Point, app::Point*)"#),
    (#"_Z3tf2IicEvT_T0_"#, #"void tf2<int, char>(int, char)"#),
    (#"_Z3usev"#, #"use()"#),
    (#"_Z41__static_initialization_and_destruction_0ii"#, #"__static_initialization_and_destruction_0(int, int)"#),
    (#"_Z4f_fpPFiiEPFvvEPFiS0_E"#, #"f_fp(int (*)(int), void (*)(), int (*)(int (*)(int)))"#),
    (#"_Z4tptrIXadL_Z13gvar_for_tmplEEEvv"#, #"void tptr<&(gvar_for_tmpl)>()"#),
    (#"_Z4trefIRKN3app5PointEEvOT_"#, #"void tref<app::Point const&>(app::Point const&)"#),
    (#"_Z4trefIRN3app5PointEEvOT_"#, #"void tref<app::Point&>(app::Point&)"#),
    (#"_Z4trefIRiEvOT_"#, #"void tref<int&>(int&)"#),
    (#"_Z4trefIiEvOT_"#, #"void tref<int>(int&&)"#),
    (#"_Z4tullILy9EEvv"#, #"void tull<9ull>()"#),
    (#"_Z4tunsILj7EEvv"#, #"void tuns<7u>()"#),
    (#"_Z5f_arrPA3_iRA4_i"#, #"f_arr(int (*) [3], int (&) [4])"#),
    (#"_Z5f_inti"#, #"f_int(int)"#),
    (#"_Z5f_stdi"#, #"f_std(int)"#),
    (#"_Z5tboolILb0EEvv"#, #"void tbool<false>()"#),
    (#"_Z5tboolILb1EEvv"#, #"void tbool<true>()"#),
    (#"_Z5tcharILc97EEvv"#, #"void tchar<(char)97>()"#),
    (#"_Z5tlongILln3EEvv"#, #"void tlong<-3l>()"#),
    (#"_Z6f_arr2PA2_A3_iRA5_Kc"#, #"f_arr2(int (*) [2][3], char const (&) [5])"#),
    (#"_Z6f_cvfnPFvPKiPVcE"#, #"f_cvfn(void (*)(int const*, char volatile*))"#),
    (#"_Z6f_fasti"#, #"f_fast(int)"#),
    (#"_Z6f_ptrsPiPKiPViPVKiS_PS_PKPKc"#, #"f_ptrs(int*, int const*, int volatile*, int const volatile*, int*, int**, char const* const*)"#),
    (#"_Z6f_refsRiRKiOiRN3app5PointERKS4_"#, #"f_refs(int&, int const&, int&&, app::Point&, app::Point const&)"#),
    (#"_Z6f_tmplN3app3BoxIiEENS0_INS_5PointEEENS_3ArrILi3EEENS4_ILin1EEENS_3VecIdLi4EEENS0_IS1_EE"#, #"f_tmpl(app::Box<int>, app::Box<app::Point>, app::Arr<3>, app::Arr<-1>, app::Vec<double, 4>, app::Box<app::Box<int> >)"#),
    (#"_Z6f_voidv"#, #"f_void()"#),
    (#"_Z6tcolorILN3app5ColorE1EEvv"#, #"void tcolor<(app::Color)1>()"#),
    (#"_Z7f_tmpl2RKN3app3BoxIiEEPS1_NS0_IcEE"#, #"f_tmpl2(app::Box<int> const&, app::Box<int>*, app::Box<char>)"#),
    (#"_Z8f_int128no"#, #"f_int128(__int128, unsigned __int128)"#),
    (#"_Z8f_memarrMN3app5PointEA3_i"#, #"f_memarr(int(app::Point::*) [3])"#),
    (#"_Z8f_memptrMN3app5PointEiMNS_7CounterEKFivEMS2_FviE"#, #"f_memptr(int app::Point::*, int (app::Counter::*)() const, void (app::Counter::*)(int))"#),
    (#"_Z8variadicIJEEvDpT_"#, #"void variadic<>()"#),
    (#"_Z8variadicIJN3app5PointES1_PS1_EEvDpT_"#, #"void variadic<app::Point, app::Point, app::Point*>(app::Point, app::Point, app::Point*)"#),
    (#"_Z8variadicIJidcEEvDpT_"#, #"void variadic<int, double, char>(int, double, char)"#),
    (#"_Z9f_backrefN3app5PointES0_PS0_S1_RKS0_S3_"#, #"f_backref(app::Point, app::Point, app::Point*, app::Point*, app::Point const&, app::Point const&)"#),
    (#"_Z9f_classesN3app5PointENS_1UENS_5ColorENS_4ModeENS_7CounterE"#, #"f_classes(app::Point, app::U, app::Color, app::Mode, app::Counter)"#),
    (#"_Z9f_nullptrDn"#, #"f_nullptr(std::nullptr_t)"#),
    (#"_Z9f_ret_refv"#, #"f_ret_ref()"#),
    (#"_Z9f_std_mapRSt3mapINSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEiSt4lessIS5_ESaISt4pairIKS5_iEEE"#, #"f_std_map(std::map<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >, int, std::less<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > >, std::allocator<std::pair<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const, int> > >&)"#),
    (#"_ZL18__gthread_active_pv"#, #"__gthread_active_p()"#),
    (#"_ZN12_GLOBAL__N_16anonfnEi"#, #"(anonymous namespace)::anonfn(int)"#),
    (#"_ZN3app2VBC2Ev"#, #"app::VB::VB()"#),
    (#"_ZN3app2VBD0Ev"#, #"app::VB::~VB()"#),
    (#"_ZN3app2VDC1Ev"#, #"app::VD::VD()"#),
    (#"_ZN3app2VDD0Ev"#, #"app::VD::~VD()"#),
    (#"_ZN3app3BoxIiE3putERKi"#, #"app::Box<int>::put(int const&)"#),
    (#"_ZN3app3BoxIiE5countE"#, #"app::Box<int>::count"#),
    (#"_ZN3app4Base1fEv"#, #"app::Base::f()"#),
    (#"_ZN3app4BaseC2Ev"#, #"app::Base::Base()"#),
    (#"_ZN3app4BaseD0Ev"#, #"app::Base::~Base()"#),
    (#"_ZN3app7Counter3setEi"#, #"app::Counter::set(int)"#),
    (#"_ZN3app7Counter4tickEv"#, #"app::Counter::tick()"#),
    (#"_ZN3app7Counter6createEPKcy"#, #"app::Counter::create(char const*, unsigned long long)"#),
    (#"_ZN3app7Counter9instancesE"#, #"app::Counter::instances"#),
    (#"_ZN3app7CounterC1EOS0_"#, #"app::Counter::Counter(app::Counter&&)"#),
    (#"_ZN3app7CounterC1ERKS0_"#, #"app::Counter::Counter(app::Counter const&)"#),
    (#"_ZN3app7CounterC1Ei"#, #"app::Counter::Counter(int)"#),
    (#"_ZN3app7CounterC1Ev"#, #"app::Counter::Counter()"#),
    (#"_ZN3app7CounterD1Ev"#, #"app::Counter::~Counter()"#),
    (#"_ZN3app7CounteraSERKS0_"#, #"app::Counter::operator=(app::Counter const&)"#),
    (#"_ZN3app7CounterclEii"#, #"app::Counter::operator()(int, int)"#),
    (#"_ZN3app7CountercvPiEv"#, #"app::Counter::operator int*()"#),
    (#"_ZN3app7CounterdaEPv"#, #"app::Counter::operator delete[](void*)"#),
    (#"_ZN3app7CounterdlEPv"#, #"app::Counter::operator delete(void*)"#),
    (#"_ZN3app7CounterlsEi"#, #"app::Counter::operator<<(int)"#),
    (#"_ZN3app7CounternaEy"#, #"app::Counter::operator new[](unsigned long long)"#),
    (#"_ZN3app7CounterngEv"#, #"app::Counter::operator-()"#),
    (#"_ZN3app7CounternwEy"#, #"app::Counter::operator new(unsigned long long)"#),
    (#"_ZN3app7CounterpLEi"#, #"app::Counter::operator+=(int)"#),
    (#"_ZN3app7CounterppEi"#, #"app::Counter::operator++(int)"#),
    (#"_ZN3app7CounterppEv"#, #"app::Counter::operator++()"#),
    (#"_ZN3app7CounterptEv"#, #"app::Counter::operator->()"#),
    (#"_ZN3app7Derived1fEv"#, #"app::Derived::f()"#),
    (#"_ZN3app7DerivedC1Ev"#, #"app::Derived::Derived()"#),
    (#"_ZN3app7DerivedD0Ev"#, #"app::Derived::~Derived()"#),
    (#"_ZN5Local1fEv"#, #"Local::f()"#),
    (#"_ZN5outer5inner1S1mEPS1_RKS1_OS1_"#, #"outer::inner::S::m(outer::inner::S*, outer::inner::S const&, outer::inner::S&&)"#),
    (#"_ZN5outer5inner4deepEiii"#, #"outer::inner::deep(int, int, int)"#),
    (#"_ZN6__pstl9execution2v1L3parE"#, #"__pstl::execution::v1::par"#),
    (#"_ZN6__pstl9execution2v1L3seqE"#, #"__pstl::execution::v1::seq"#),
    (#"_ZN6__pstl9execution2v1L5unseqE"#, #"__pstl::execution::v1::unseq"#),
    (#"_ZN6__pstl9execution2v1L9par_unseqE"#, #"__pstl::execution::v1::par_unseq"#),
    (#"_ZN9__gnu_cxx16__aligned_membufISt4pairIKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEiEE6_M_ptrEv"#, #"__gnu_cxx::__aligned_membuf<std::pair<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const, int> >::_M_ptr()"#),
    (#"_ZN9__gnu_cxx16__aligned_membufISt4pairIKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEiEE7_M_addrEv"#, #"__gnu_cxx::__aligned_membuf<std::pair<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const, int> >::_M_addr()"#),
    (#"_ZN9__gnu_cxxL21__default_lock_policyE"#, #"__gnu_cxx::__default_lock_policy"#),
    (#"_ZNK3app3ArrILi3EE4sizeEv"#, #"app::Arr<3>::size() const"#),
    (#"_ZNK3app3BoxIiE2asIcEET_S3_"#, #"char app::Box<int>::as<char>(char) const"#),
    (#"_ZNK3app3BoxIiE2asIdEET_S3_"#, #"double app::Box<int>::as<double>(double) const"#),
    (#"_ZNK3app3BoxIiE3getEv"#, #"app::Box<int>::get() const"#),
    (#"_ZNK3app3VecIdLi4EE2atEi"#, #"app::Vec<double, 4>::at(int) const"#),
    (#"_ZNK3app7Counter3getEv"#, #"app::Counter::get() const"#),
    (#"_ZNK3app7Counter4tockEd"#, #"app::Counter::tock(double) const"#),
    (#"_ZNK3app7CounterdeEv"#, #"app::Counter::operator*() const"#),
    (#"_ZNK3app7CountereqERKS0_"#, #"app::Counter::operator==(app::Counter const&) const"#),
    (#"_ZNK3app7CounterixEi"#, #"app::Counter::operator[](int) const"#),
    (#"_ZNK3app7CounterltERKS0_"#, #"app::Counter::operator<(app::Counter const&) const"#),
    (#"_ZNK3app7CounterntEv"#, #"app::Counter::operator!() const"#),
    (#"_ZNK3app7CounterplERKS0_"#, #"app::Counter::operator+(app::Counter const&) const"#),
    (#"_ZNKSt14default_deleteIN3app5PointEEclEPS1_"#, #"std::default_delete<app::Point>::operator()(app::Point*) const"#),
    (#"_ZNKSt8_Rb_treeINSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEESt4pairIKS5_iESt10_Select1stIS8_ESt4lessIS5_ESaIS8_EE9_M_mbeginEv"#, #"std::_Rb_tree<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >, std::pair<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const, int>, std::_Select1st<std::pair<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const, int> >, std::less<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > >, std::allocator<std::pair<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const, int> > >::_M_mbegin() const"#),
    (#"_ZNO3app7Counter3refEv"#, #"app::Counter::ref() &&"#),
    (#"_ZNR3app7Counter3refEv"#, #"app::Counter::ref() &"#),
    (#"_ZNSaINSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEEC2Ev"#, #"std::allocator<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > >::allocator()"#),
    (#"_ZNSaINSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEED2Ev"#, #"std::allocator<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > >::~allocator()"#),
    (#"_ZNSaISt13_Rb_tree_nodeISt4pairIKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEiEEEC2Ev"#, #"std::allocator<std::_Rb_tree_node<std::pair<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const, int> > >::allocator()"#),
    (#"_ZNSaISt13_Rb_tree_nodeISt4pairIKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEiEEED2Ev"#, #"std::allocator<std::_Rb_tree_node<std::pair<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const, int> > >::~allocator()"#),
    (#"_ZNSaIcEC1Ev"#, #"std::allocator<char>::allocator()"#),
    (#"_ZNSaIcED1Ev"#, #"std::allocator<char>::~allocator()"#),
    (#"_ZNSaIiEC2Ev"#, #"std::allocator<int>::allocator()"#),
    (#"_ZNSaIiED2Ev"#, #"std::allocator<int>::~allocator()"#),
    (#"_ZNSt10_Head_baseILy0EPN3app5PointELb0EE7_M_headERS3_"#, #"std::_Head_base<0ull, app::Point*, false>::_M_head(std::_Head_base<0ull, app::Point*, false>&)"#),
    (#"_ZNSt10_Head_baseILy0EPN3app5PointELb0EEC2Ev"#, #"std::_Head_base<0ull, app::Point*, false>::_Head_base()"#),
    (#"_ZNSt10_Head_baseILy1ESt14default_deleteIN3app5PointEELb1EE7_M_headERS4_"#, #"std::_Head_base<1ull, std::default_delete<app::Point>, true>::_M_head(std::_Head_base<1ull, std::default_delete<app::Point>, true>&)"#),
    (#"_ZNSt10_Head_baseILy1ESt14default_deleteIN3app5PointEELb1EEC2Ev"#, #"std::_Head_base<1ull, std::default_delete<app::Point>, true>::_Head_base()"#),
    (#"_ZNSt10shared_ptrIN3app7CounterEEC1EDn"#, #"std::shared_ptr<app::Counter>::shared_ptr(std::nullptr_t)"#),
    (#"_ZNSt10shared_ptrIN3app7CounterEEC1Ev"#, #"std::shared_ptr<app::Counter>::shared_ptr()"#),
    (#"_ZNSt10shared_ptrIN3app7CounterEED1Ev"#, #"std::shared_ptr<app::Counter>::~shared_ptr()"#),
    (#"_ZNSt10unique_ptrIN3app5PointESt14default_deleteIS1_EE11get_deleterEv"#, #"std::unique_ptr<app::Point, std::default_delete<app::Point> >::get_deleter()"#),
    (#"_ZNSt10unique_ptrIN3app5PointESt14default_deleteIS1_EEC1IS3_vEEDn"#, #"std::unique_ptr<app::Point, std::default_delete<app::Point> >::unique_ptr<std::default_delete<app::Point>, void>(std::nullptr_t)"#),
    (#"_ZNSt10unique_ptrIN3app5PointESt14default_deleteIS1_EED1Ev"#, #"std::unique_ptr<app::Point, std::default_delete<app::Point> >::~unique_ptr()"#),
    (#"_ZNSt11_Tuple_implILy0EJPN3app5PointESt14default_deleteIS1_EEE7_M_headERS5_"#, #"std::_Tuple_impl<0ull, app::Point*, std::default_delete<app::Point> >::_M_head(std::_Tuple_impl<0ull, app::Point*, std::default_delete<app::Point> >&)"#),
    (#"_ZNSt11_Tuple_implILy0EJPN3app5PointESt14default_deleteIS1_EEEC2Ev"#, #"std::_Tuple_impl<0ull, app::Point*, std::default_delete<app::Point> >::_Tuple_impl()"#),
    (#"_ZNSt11_Tuple_implILy1EJSt14default_deleteIN3app5PointEEEE7_M_headERS4_"#, #"std::_Tuple_impl<1ull, std::default_delete<app::Point> >::_M_head(std::_Tuple_impl<1ull, std::default_delete<app::Point> >&)"#),
    (#"_ZNSt11_Tuple_implILy1EJSt14default_deleteIN3app5PointEEEEC2Ev"#, #"std::_Tuple_impl<1ull, std::default_delete<app::Point> >::_Tuple_impl()"#),
    (#"_ZNSt12_Destroy_auxILb0EE9__destroyIPNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEEEvT_S9_"#, #"void std::_Destroy_aux<false>::__destroy<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >*>(std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >*, std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >*)"#),
    (#"_ZNSt12_Destroy_auxILb1EE9__destroyIPiEEvT_S3_"#, #"void std::_Destroy_aux<true>::__destroy<int*>(int*, int*)"#),
    (#"_ZNSt12_Vector_baseIiSaIiEE12_Vector_implC1Ev"#, #"std::_Vector_base<int, std::allocator<int> >::_Vector_impl::_Vector_impl()"#),
    (#"_ZNSt12_Vector_baseIiSaIiEE12_Vector_implD1Ev"#, #"std::_Vector_base<int, std::allocator<int> >::_Vector_impl::~_Vector_impl()"#),
    (#"_ZNSt12_Vector_baseIiSaIiEE13_M_deallocateEPiy"#, #"std::_Vector_base<int, std::allocator<int> >::_M_deallocate(int*, unsigned long long)"#),
    (#"_ZNSt12_Vector_baseIiSaIiEE17_Vector_impl_dataC2Ev"#, #"std::_Vector_base<int, std::allocator<int> >::_Vector_impl_data::_Vector_impl_data()"#),
    (#"_ZNSt12_Vector_baseIiSaIiEE19_M_get_Tp_allocatorEv"#, #"std::_Vector_base<int, std::allocator<int> >::_M_get_Tp_allocator()"#),
    (#"_ZNSt12_Vector_baseIiSaIiEEC2Ev"#, #"std::_Vector_base<int, std::allocator<int> >::_Vector_base()"#),
    (#"_ZNSt12_Vector_baseIiSaIiEED2Ev"#, #"std::_Vector_base<int, std::allocator<int> >::~_Vector_base()"#),
    (#"_ZNSt12__shared_ptrIN3app7CounterELN9__gnu_cxx12_Lock_policyE2EEC2Ev"#, #"std::__shared_ptr<app::Counter, (__gnu_cxx::_Lock_policy)2>::__shared_ptr()"#),
    (#"_ZNSt12__shared_ptrIN3app7CounterELN9__gnu_cxx12_Lock_policyE2EED2Ev"#, #"std::__shared_ptr<app::Counter, (__gnu_cxx::_Lock_policy)2>::~__shared_ptr()"#),
    (#"_ZNSt13_Rb_tree_nodeISt4pairIKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEiEE9_M_valptrEv"#, #"std::_Rb_tree_node<std::pair<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const, int> >::_M_valptr()"#),
    (#"_ZNSt14_Function_baseC2Ev"#, #"std::_Function_base::_Function_base()"#),
    (#"_ZNSt14_Function_baseD2Ev"#, #"std::_Function_base::~_Function_base()"#),
    (#"_ZNSt14__shared_countILN9__gnu_cxx12_Lock_policyE2EEC1Ev"#, #"std::__shared_count<(__gnu_cxx::_Lock_policy)2>::__shared_count()"#),
    (#"_ZNSt14__shared_countILN9__gnu_cxx12_Lock_policyE2EED1Ev"#, #"std::__shared_count<(__gnu_cxx::_Lock_policy)2>::~__shared_count()"#),
    (#"_ZNSt15_Rb_tree_header8_M_resetEv"#, #"std::_Rb_tree_header::_M_reset()"#),
    (#"_ZNSt15_Rb_tree_headerC2Ev"#, #"std::_Rb_tree_header::_Rb_tree_header()"#),
    (#"_ZNSt15__new_allocatorINSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEEC2Ev"#, #"std::__new_allocator<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > >::__new_allocator()"#),
    (#"_ZNSt15__new_allocatorINSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEED2Ev"#, #"std::__new_allocator<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > >::~__new_allocator()"#),
    (#"_ZNSt15__new_allocatorISt13_Rb_tree_nodeISt4pairIKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEiEEEC2Ev"#, #"std::__new_allocator<std::_Rb_tree_node<std::pair<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const, int> > >::__new_allocator()"#),
    (#"_ZNSt15__new_allocatorISt13_Rb_tree_nodeISt4pairIKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEiEEED2Ev"#, #"std::__new_allocator<std::_Rb_tree_node<std::pair<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const, int> > >::~__new_allocator()"#),
    (#"_ZNSt15__new_allocatorIiE10deallocateEPiy"#, #"std::__new_allocator<int>::deallocate(int*, unsigned long long)"#),
    (#"_ZNSt15__new_allocatorIiEC2Ev"#, #"std::__new_allocator<int>::__new_allocator()"#),
    (#"_ZNSt15__new_allocatorIiED2Ev"#, #"std::__new_allocator<int>::~__new_allocator()"#),
    (#"_ZNSt15__uniq_ptr_dataIN3app5PointESt14default_deleteIS1_ELb1ELb1EEC2Ev"#, #"std::__uniq_ptr_data<app::Point, std::default_delete<app::Point>, true, true>::__uniq_ptr_data()"#),
    (#"_ZNSt15__uniq_ptr_implIN3app5PointESt14default_deleteIS1_EE10_M_deleterEv"#, #"std::__uniq_ptr_impl<app::Point, std::default_delete<app::Point> >::_M_deleter()"#),
    (#"_ZNSt15__uniq_ptr_implIN3app5PointESt14default_deleteIS1_EE6_M_ptrEv"#, #"std::__uniq_ptr_impl<app::Point, std::default_delete<app::Point> >::_M_ptr()"#),
    (#"_ZNSt15__uniq_ptr_implIN3app5PointESt14default_deleteIS1_EEC2Ev"#, #"std::__uniq_ptr_impl<app::Point, std::default_delete<app::Point> >::__uniq_ptr_impl()"#),
    (#"_ZNSt16_Sp_counted_baseILN9__gnu_cxx12_Lock_policyE2EE10_M_releaseEv"#, #"std::_Sp_counted_base<(__gnu_cxx::_Lock_policy)2>::_M_release()"#),
    (#"_ZNSt16_Sp_counted_baseILN9__gnu_cxx12_Lock_policyE2EE19_M_release_last_useEv"#, #"std::_Sp_counted_base<(__gnu_cxx::_Lock_policy)2>::_M_release_last_use()"#),
    (#"_ZNSt16_Sp_counted_baseILN9__gnu_cxx12_Lock_policyE2EE24_M_release_last_use_coldEv"#, #"std::_Sp_counted_base<(__gnu_cxx::_Lock_policy)2>::_M_release_last_use_cold()"#),
    (#"_ZNSt16allocator_traitsISaIiEE10deallocateERS0_Piy"#, #"std::allocator_traits<std::allocator<int> >::deallocate(std::allocator<int>&, int*, unsigned long long)"#),
    (#"_ZNSt20_Rb_tree_key_compareISt4lessINSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEEEC2Ev"#, #"std::_Rb_tree_key_compare<std::less<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > > >::_Rb_tree_key_compare()"#),
    (#"_ZNSt4pairIKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEiED1Ev"#, #"std::pair<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const, int>::~pair()"#),
    (#"_ZNSt4pairIidEC1IidLb1EEEOT_OT0_"#, #"std::pair<int, double>::pair<int, double, true>(int&&, double&&)"#),
    (#"_ZNSt5tupleIJPN3app5PointESt14default_deleteIS1_EEEC1ILb1ELb1EEEv"#, #"std::tuple<app::Point*, std::default_delete<app::Point> >::tuple<true, true>()"#),
    (#"_ZNSt6vectorIiSaIiEEC1Ev"#, #"std::vector<int, std::allocator<int> >::vector()"#),
    (#"_ZNSt6vectorIiSaIiEED1Ev"#, #"std::vector<int, std::allocator<int> >::~vector()"#),
    (#"_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEC1ERKS4_"#, #"std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >::basic_string(std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const&)"#),
    (#"_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEC1Ev"#, #"std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >::basic_string()"#),
    (#"_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEED1Ev"#, #"std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >::~basic_string()"#),
    (#"_ZNSt7__cxx1112basic_stringIwSt11char_traitsIwESaIwEEC1ERKS4_"#, #"std::__cxx11::basic_string<wchar_t, std::char_traits<wchar_t>, std::allocator<wchar_t> >::basic_string(std::__cxx11::basic_string<wchar_t, std::char_traits<wchar_t>, std::allocator<wchar_t> > const&)"#),
    (#"_ZNSt7__cxx1112basic_stringIwSt11char_traitsIwESaIwEEC1Ev"#, #"std::__cxx11::basic_string<wchar_t, std::char_traits<wchar_t>, std::allocator<wchar_t> >::basic_string()"#),
    (#"_ZNSt7__cxx1112basic_stringIwSt11char_traitsIwESaIwEED1Ev"#, #"std::__cxx11::basic_string<wchar_t, std::char_traits<wchar_t>, std::allocator<wchar_t> >::~basic_string()"#),
    (#"_ZNSt8functionIFiiEEC1EDn"#, #"std::function<int (int)>::function(std::nullptr_t)"#),
    (#"_ZNSt8functionIFiiEED1Ev"#, #"std::function<int (int)>::~function()"#),
    (#"_ZNSt8ios_base4InitC1Ev"#, #"std::ios_base::Init::Init()"#),
    (#"_ZNSt8ios_base4InitD1Ev"#, #"std::ios_base::Init::~Init()"#),
    (#"_ZNV3app7Counter4getvEv"#, #"app::Counter::getv() volatile"#),
    (#"_ZNVK3app7Counter5getcvEv"#, #"app::Counter::getcv() const volatile"#),
    (#"_ZSt12__get_helperILy0EPN3app5PointEJSt14default_deleteIS1_EEERT0_RSt11_Tuple_implIXT_EJS5_DpT1_EE"#, #"app::Point*& std::__get_helper<0ull, app::Point*, std::default_delete<app::Point> >(std::_Tuple_impl<0ull, app::Point*, std::default_delete<app::Point> >&)"#),
    (#"_ZSt12__get_helperILy1ESt14default_deleteIN3app5PointEEJEERT0_RSt11_Tuple_implIXT_EJS4_DpT1_EE"#, #"std::default_delete<app::Point>& std::__get_helper<1ull, std::default_delete<app::Point> >(std::_Tuple_impl<1ull, std::default_delete<app::Point> >&)"#),
    (#"_ZSt3cin"#, #"std::cin"#),
    (#"_ZSt4cout"#, #"std::cout"#),
    (#"_ZSt4moveIRPN3app5PointEEONSt16remove_referenceIT_E4typeEOS5_"#, #"std::remove_reference<app::Point*&>::type&& std::move<app::Point*&>(app::Point*&)"#),
    (#"_ZSt7forwardIdEOT_RNSt16remove_referenceIS0_E4typeE"#, #"double&& std::forward<double>(std::remove_reference<double>::type&)"#),
    (#"_ZSt7forwardIiEOT_RNSt16remove_referenceIS0_E4typeE"#, #"int&& std::forward<int>(std::remove_reference<int>::type&)"#),
    (#"_ZSt8_DestroyINSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEEvPT_"#, #"void std::_Destroy<std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > >(std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >*)"#),
    (#"_ZSt8_DestroyIPiEvT_S1_"#, #"void std::_Destroy<int*>(int*, int*)"#),
    (#"_ZSt8_DestroyIPiiEvT_S1_RSaIT0_E"#, #"void std::_Destroy<int*, int>(int*, int*, std::allocator<int>&)"#),
    (#"_ZSt9terminatev"#, #"std::terminate()"#),
    (#"_ZStL8__ioinit"#, #"std::__ioinit"#),
    (#"_ZTIN3app2VBE"#, #"typeinfo for app::VB"#),
    (#"_ZTIN3app2VDE"#, #"typeinfo for app::VD"#),
    (#"_ZTIN3app4BaseE"#, #"typeinfo for app::Base"#),
    (#"_ZTIN3app7DerivedE"#, #"typeinfo for app::Derived"#),
    (#"_ZTSN3app2VBE"#, #"typeinfo name for app::VB"#),
    (#"_ZTSN3app2VDE"#, #"typeinfo name for app::VD"#),
    (#"_ZTSN3app4BaseE"#, #"typeinfo name for app::Base"#),
    (#"_ZTSN3app7DerivedE"#, #"typeinfo name for app::Derived"#),
    (#"_ZTTN3app2VDE"#, #"VTT for app::VD"#),
    (#"_ZTVN10__cxxabiv117__class_type_infoE"#, #"vtable for __cxxabiv1::__class_type_info"#),
    (#"_ZTVN10__cxxabiv120__si_class_type_infoE"#, #"vtable for __cxxabiv1::__si_class_type_info"#),
    (#"_ZTVN10__cxxabiv121__vmi_class_type_infoE"#, #"vtable for __cxxabiv1::__vmi_class_type_info"#),
    (#"_ZTVN3app2VBE"#, #"vtable for app::VB"#),
    (#"_ZTVN3app2VDE"#, #"vtable for app::VD"#),
    (#"_ZTVN3app4BaseE"#, #"vtable for app::Base"#),
    (#"_ZTVN3app7DerivedE"#, #"vtable for app::Derived"#),
    (#"_ZTv0_n24_N3app2VDD0Ev"#, #"virtual thunk to app::VD::~VD()"#),
    (#"_ZZ3usevE12local_static"#, #"use()::local_static"#),
    (#"_ZZ3usevEN6LocalS1gEi"#, #"use()::LocalS::g(int)"#),
    (#"_ZZ3usevENK3$_0clEi"#, #"use()::$_0::operator()(int) const"#),
    (#"_ZZ3usevENKUliE_clEi"#, #"use()::'lambda'(int)::operator()(int) const"#),
    (#"_ZZN5Local1fEvEN2In1gEv"#, #"Local::f()::In::g()"#),
    (#"_ZZZN5Local1fEvEN2In1gEvE3cnt"#, #"Local::f()::In::g()::cnt"#),
    (#"_ZdlPv"#, #"operator delete(void*)"#),
    (#"_ZdlPvy"#, #"operator delete(void*, unsigned long long)"#),
    (#"__Z2tfIiET_S0_"#, #"int tf<int>(int)"#),
    (#"__Z5f_stdi@4"#, #"f_std(int)@4"#),
    (#"__ZN3app7Counter3setEi"#, #"app::Counter::set(int)"#),
    (#"__ZN3app7CounterC1Ei"#, #"app::Counter::Counter(int)"#),
    (#"__ZNK3app7Counter3getEv"#, #"app::Counter::get() const"#),
    (#"__ZTVN3app4BaseE"#, #"vtable for app::Base"#),
    (#"_ZGVNSt10moneypunctIcLb0EE2idE"#, #"guard variable for std::moneypunct<char, false>::id"#),
    (#"_ZN10__cxxabiv111__terminateEPFvvE"#, #"__cxxabiv1::__terminate(void (*)())"#),
    (#"_ZNKSbIwSt11char_traitsIwESaIwEEcvSt17basic_string_viewIwS0_EEv"#, #"std::basic_string<wchar_t, std::char_traits<wchar_t>, std::allocator<wchar_t> >::operator std::basic_string_view<wchar_t, std::char_traits<wchar_t> >() const"#),
    (#"_ZNKSt3_V214error_category10_M_messageB5cxx11Ei"#, #"std::_V2::error_category::_M_message[abi:cxx11](int) const"#),
    (#"_ZNKSt5ctypeIcE10do_tolowerEPcPKc"#, #"std::ctype<char>::do_tolower(char*, char const*) const"#),
    (#"_ZNSi10_M_extractIPvEERSiRT_"#, #"std::istream& std::istream::_M_extract<void*>(void*&)"#),
    (#"_ZNSolsEDn"#, #"std::ostream::operator<<(std::nullptr_t)"#),
    (#"_ZNSs10_S_compareEyy"#, #"std::string::_S_compare(unsigned long long, unsigned long long)"#),
    (#"_ZNSt5dequeINSt10filesystem4_DirESaIS1_EE12emplace_backIJS1_EEERS1_DpOT_"#, #"std::filesystem::_Dir& std::deque<std::filesystem::_Dir, std::allocator<std::filesystem::_Dir> >::emplace_back<std::filesystem::_Dir>(std::filesystem::_Dir&&)"#),
    (#"_ZSt4cerr"#, #"std::cerr"#),
    (#"_ZSt7getlineIcSt11char_traitsIcESaIcEERSt13basic_istreamIT_T0_ES7_RNSt7__cxx1112basic_stringIS4_S5_T1_EE"#, #"std::basic_istream<char, std::char_traits<char> >& std::getline<char, std::char_traits<char>, std::allocator<char> >(std::basic_istream<char, std::char_traits<char> >&, std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >&)"#),
    (#"_ZTISd"#, #"typeinfo for std::iostream"#),
    (#"_ZTSN10__cxxabiv115__forced_unwindE"#, #"typeinfo name for __cxxabiv1::__forced_unwind"#),
    (#"_ZThn16_NSdD0Ev"#, #"non-virtual thunk to std::basic_iostream<char, std::char_traits<char> >::~basic_iostream()"#),
    (#"_ZTv0_n24_NSdD0Ev"#, #"virtual thunk to std::basic_iostream<char, std::char_traits<char> >::~basic_iostream()"#),
    (#"_ZZN9__gnu_cxx13__common_poolINS_6__poolELb1EE11_S_get_poolEvE7_S_pool"#, #"__gnu_cxx::__common_pool<__gnu_cxx::__pool, true>::_S_get_pool()::_S_pool"#),
    (#"_ZNSt5dequeINSt10filesystem4pathESaIS1_EE16_M_push_back_auxIJRKS1_EEEvDpOT_"#, #"void std::deque<std::filesystem::path, std::allocator<std::filesystem::path> >::_M_push_back_aux<std::filesystem::path const&>(std::filesystem::path const&)"#),
]

/// Itanium names written by hand, checked against llvm-cxxfilt.
private let itaniumHandWritten: [(String, String)] = [
    (#"_Z3foov.cold"#, #"foo() (.cold)"#),
    (#"_Z3foov.constprop.0"#, #"foo() (.constprop.0)"#),
    (#"_ZNSsC1Ev"#, #"std::basic_string<char, std::char_traits<char>, std::allocator<char> >::basic_string()"#),
    (#"_ZNSs4sizeEv"#, #"std::string::size()"#),
    (#"_ZNSiC1Ev"#, #"std::basic_istream<char, std::char_traits<char> >::basic_istream()"#),
    (#"_ZNSoD0Ev"#, #"std::basic_ostream<char, std::char_traits<char> >::~basic_ostream()"#),
    (#"_ZNSdC1Ev"#, #"std::basic_iostream<char, std::char_traits<char> >::basic_iostream()"#),
    (#"_ZNSbIwEC1Ev"#, #"std::basic_string<wchar_t>::basic_string()"#),
    (#"_ZNSaIcEC1Ev"#, #"std::allocator<char>::allocator()"#),
    (#"_Z1fSs"#, #"f(std::string)"#),
    (#"_Z1fSi"#, #"f(std::istream)"#),
    (#"_Z1fSaIcE"#, #"f(std::allocator<char>)"#),
    (#"_Z1fSbIcE"#, #"f(std::basic_string<char>)"#),
    (#"_ZZ3usevENKUliE0_clEi"#, #"use()::'lambda0'(int)::operator()(int) const"#),
    (#"_ZZ3usevENKUlvE1_clEv"#, #"use()::'lambda1'()::operator()() const"#),
    (#"_ZN1AUt_E"#, #"A::'unnamed'"#),
    (#"_ZN1AUt0_E"#, #"A::'unnamed0'"#),
    (#"_Z1fIiEvT_"#, #"void f<int>(int)"#),
    (#"_ZZ1fvEs"#, #"f()::string literal"#),
    (#"_ZZ1fvEs_0"#, #"f()::string literal"#),
    (#"_ZZ1fvE1x_0"#, #"f()::x"#),
    (#"_ZZ1fvE1x__12_"#, #"f()::x"#),
    (#"_ZGVZ1fvE1x"#, #"guard variable for f()::x"#),
    (#"_ZTHN1A1xE"#, #"thread-local initialization routine for A::x"#),
    (#"_ZTWN1A1xE"#, #"thread-local wrapper routine for A::x"#),
    (#"_ZThn8_N1C1bEv"#, #"non-virtual thunk to C::b()"#),
    (#"_ZTch0_h8_N1C1bEv"#, #"covariant return thunk to C::b()"#),
    (#"_ZTCN1C1DE0_N1B1EE"#, #"construction vtable for B::E-in-C::D"#),
    (#"_ZGR1x_"#, #"reference temporary for x"#),
    (#"_ZGR1x0_"#, #"reference temporary for x"#),
    (#"_ZTW1x"#, #"thread-local wrapper routine for x"#),
    (#"_Z1fPFPFviEcE"#, #"f(void (* (*)(char))(int))"#),
    (#"_Z1fRA3_i"#, #"f(int (&) [3])"#),
    (#"_Z1fM1AFviE"#, #"f(void (A::*)(int))"#),
    (#"_Z1fM1AKFviE"#, #"f(void (A::*)(int) const)"#),
    (#"_Z1fM1AA3_i"#, #"f(int(A::*) [3])"#),
    (#"_Z1fPA3_KPi"#, #"f(int* const (*) [3])"#),
    (#"_Z1fIA3_iEvv"#, #"void f<int [3]>()"#),
    (#"_Z1fIFvvEEvv"#, #"void f<void ()>()"#),
    (#"_Z1fIPFvvEEvv"#, #"void f<void (*)()>()"#),
    (#"_Z1fIM1AFvvEEvv"#, #"void f<void (A::*)()>()"#),
    (#"_Z1fILb1EEvv"#, #"void f<true>()"#),
    (#"_Z1fILs5EEvv"#, #"void f<(short)5>()"#),
    (#"_Z1fILh5EEvv"#, #"void f<(unsigned char)5>()"#),
    (#"_Z1fILa5EEvv"#, #"void f<(signed char)5>()"#),
    (#"_Z1fILw97EEvv"#, #"void f<(wchar_t)97>()"#),
    (#"_Z1fILn5EEvv"#, #"void f<(__int128)5>()"#),
    (#"_Z1fILo5EEvv"#, #"void f<(unsigned __int128)5>()"#),
    (#"_Z1fIDnEvv"#, #"void f<std::nullptr_t>()"#),
    (#"_Z1fILDnEEvv"#, #"void f<nullptr>()"#),
    (#"_Z1fIL_Z1xEEvv"#, #"void f<x>()"#),
    (#"_Z1fIJiiEEvDpPT_"#, #"void f<int, int>(int*, int*)"#),
    (#"_Z1fB5cxx11v"#, #"f[abi:cxx11]()"#),
    (#"_Z1fv@4"#, #"f()@4"#),
    (#"@_Z1fv@4"#, #"@f()@4"#),
    (#"_Z1fDh"#, #"f(half)"#),
    (#"_Z1fDF16_"#, #"f(_Float16)"#),
    (#"_Z1fDu"#, #"f(char8_t)"#),
    (#"_Z1fDa"#, #"f(auto)"#),
    (#"_Z1fDc"#, #"f(decltype(auto))"#),
    (#"_Z1fg"#, #"f(__float128)"#),
    (#"_Z1fe"#, #"f(long double)"#),
    (#"_Z1fu3foo"#, #"f(foo)"#),
    (#"_ZN1A1fEv.cold.1"#, #"A::f() (.cold.1)"#),
    (#"_ZNKR1A1fEv"#, #"A::f() const &"#),
    (#"_ZNKO1A1fEv"#, #"A::f() const &&"#),
    (#"_ZNVKR1A1fEv"#, #"A::f() const volatile &"#),
    (#"_Z1fRKPFvvE"#, #"f(void (* const&)())"#),
    (#"_Z1fPKFvvE"#, #"f(void (*)() const)"#),
    (#"_Z1fIRiEvOT_"#, #"void f<int&>(int&)"#),
    (#"_Z1fIOiEvRT_"#, #"void f<int&&>(int&)"#),
    (#"_Z1fIOiEvOT_"#, #"void f<int&&>(int&&)"#),
    (#"_Z1fPFvvEPFviE"#, #"f(void (*)(), void (*)(int))"#),
    (#"_ZNK1AcviEv"#, #"A::operator int() const"#),
    (#"_Z1fIiJcdEEvT_DpT0_"#, #"void f<int, char, double>(int, char, double)"#),
    (#"_Z1fPFvvRE"#, #"f(void (*)() &)"#),
    (#"_Z1fM1AFvvOE"#, #"f(void (A::*)() &&)"#),
    (#"_Z1fPDoFvvE"#, #"f(void (*)() noexcept)"#),
    (#"_ZN1A1BIiE1CIcE1fIdEEvT_"#, #"void A::B<int>::C<char>::f<double>(double)"#),
    (#"_ZN1AIiE1fEv"#, #"A<int>::f()"#),
    (#"_ZN1AIiE1fIiEEvT_"#, #"void A<int>::f<int>(int)"#),
    (#"_ZNK1AIiE1fIcEET_S2_"#, #"char A<int>::f<char>(char) const"#),
    (#"_ZN1A1xE"#, #"A::x"#),
    (#"_ZL1xv"#, #"x()"#),
    (#"_ZN12_GLOBAL__N_11AC2Ev"#, #"(anonymous namespace)::A::A()"#),
    (#"_ZN12_GLOBAL__N_11AD2Ev"#, #"(anonymous namespace)::A::~A()"#),
    (#"_Z1fPFPA3_ivE"#, #"f(int (* (*)()) [3])"#),
    (#"_Z1fPA2_A3_A4_i"#, #"f(int (*) [2][3][4])"#),
    (#"_Z1fA_i"#, #"f(int [])"#),
    (#"_Z1fRA_i"#, #"f(int (&) [])"#),
    (#"_Z1fPVKi"#, #"f(int const volatile*)"#),
    (#"_Z1fPrKi"#, #"f(int const restrict*)"#),
    (#"_Z1fPKVi"#, #"f(int volatile const*)"#),
    (#"_ZdaPv"#, #"operator delete[](void*)"#),
    (#"_Znwm"#, #"operator new(unsigned long)"#),
    (#"_Znam"#, #"operator new[](unsigned long)"#),
    (#"_ZnwmRKSt9nothrow_t"#, #"operator new(unsigned long, std::nothrow_t const&)"#),
    (#"_ZdlPvm"#, #"operator delete(void*, unsigned long)"#),
    (#"_ZNKSt9type_info4nameEv"#, #"std::type_info::name() const"#),
    (#"_ZSt4endlIcSt11char_traitsIcEERSt13basic_ostreamIT_T0_ES6_"#, #"std::basic_ostream<char, std::char_traits<char> >& std::endl<char, std::char_traits<char> >(std::basic_ostream<char, std::char_traits<char> >&)"#),
    (#"_ZNSolsEi"#, #"std::ostream::operator<<(int)"#),
    (#"_ZStlsISt11char_traitsIcEERSt13basic_ostreamIcT_ES5_PKc"#, #"std::basic_ostream<char, std::char_traits<char> >& std::operator<<<std::char_traits<char> >(std::basic_ostream<char, std::char_traits<char> >&, char const*)"#),
    (#"_ZNSt8ios_base4InitC1Ev"#, #"std::ios_base::Init::Init()"#),
    (#"_ZN9__gnu_cxx13new_allocatorIcE8allocateEmPKv"#, #"__gnu_cxx::new_allocator<char>::allocate(unsigned long, void const*)"#),
    (#"_ZTISt9exception"#, #"typeinfo for std::exception"#),
    (#"_ZTVSt9bad_alloc"#, #"vtable for std::bad_alloc"#),
    (#"_ZNSt6vectorIiSaIiEE9push_backERKi"#, #"std::vector<int, std::allocator<int> >::push_back(int const&)"#),
    (#"_ZNSt6vectorIiSaIiEEixEm"#, #"std::vector<int, std::allocator<int> >::operator[](unsigned long)"#),
    (#"_ZNKSt6vectorIiSaIiEE4sizeEv"#, #"std::vector<int, std::allocator<int> >::size() const"#),
    (#"_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE6appendEPKc"#, #"std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >::append(char const*)"#),
    (#"_ZNSt3mapIiiSt4lessIiESaISt4pairIKiiEEEixERS3_"#, #"std::map<int, int, std::less<int>, std::allocator<std::pair<int const, int> > >::operator[](int const&)"#),
    (#"_Z1fIiEvPFT_S0_E"#, #"void f<int>(int (*)(int))"#),
    (#"_Z1fIPFivEEvT_"#, #"void f<int (*)()>(int (*)())"#),
    (#"_Z1fIiEvM1AFT_vE"#, #"void f<int>(int (A::*)())"#),
    (#"_ZN1A1fIiEEDaT_"#, #"auto A::f<int>(int)"#),
    (#"_Z1fIN1A1BEEvNT_1CE"#, #"void f<A::B>(A::B::C)"#),
    (#"_Z1fIiEvRAT__i"#, #"void f<int>(int (&) [int])"#),
    (#"_ZN5Outer5InnerC1ERKS0_"#, #"Outer::Inner::Inner(Outer::Inner const&)"#),
    (#"_ZN1AC1ERKS_"#, #"A::A(A const&)"#),
    (#"_ZN1AaSEOS_"#, #"A::operator=(A&&)"#),
    (#"_ZN1AD0Ev"#, #"A::~A()"#),
    (#"_ZN1AD2Ev"#, #"A::~A()"#),
    (#"_ZN1AC3Ev"#, #"A::A()"#),
    (#"_ZN1AcvPFvvEEv"#, #"A::operator void (*)()()"#),
    (#"_ZN1AcvRKiEv"#, #"A::operator int const&()"#),
    (#"_ZN1AplERKS_"#, #"A::operator+(A const&)"#),
    (#"_ZN1AngEv"#, #"A::operator-()"#),
    (#"_ZN1AdeEv"#, #"A::operator*()"#),
    (#"_ZN1AadEv"#, #"A::operator&()"#),
    (#"_ZN1AcoEv"#, #"A::operator~()"#),
    (#"_ZN1AmlERKS_"#, #"A::operator*(A const&)"#),
    (#"_ZN1AnwEm"#, #"A::operator new(unsigned long)"#),
    (#"_ZN1AssERKS_"#, #"A::operator<=>(A const&)"#),
    (#"_Zli2_xPKc"#, #"operator"" _x(char const*)"#),
    (#"_ZN1AIJiEE1fEv"#, #"A<int>::f()"#),
    (#"_ZN1AIJEE1fEv"#, #"A<>::f()"#),
    (#"_Z1fIJEEvDpT_"#, #"void f<>()"#),
    (#"_Z1fIJEEviDpT_"#, #"void f<>(int)"#),
    (#"_Z1fIJicEEvDpRKT_"#, #"void f<int, char>(int const&, char const&)"#),
    (#"_Z1fIJicEEvPFvDpT_E"#, #"void f<int, char>(void (*)(int, char))"#),
    (#"_ZN1XIJicEEC1EDpT_"#, #"X<int, char>::X(int, char)"#),
    (#"_Z1fIiEvT_S0_S_"#, #"void f<int>(int, int, f)"#),
    (#"_ZZ1fvENKUlvE_clEv"#, #"f()::'lambda'()::operator()() const"#),
    (#"_ZZ1fvENUlvE_4_FUNEv"#, #"f()::'lambda'()::_FUN()"#),
    (#"_ZZN1A1fEvENKUlRKiE_clES1_"#, #"A::f()::'lambda'(int const&)::operator()(int const&) const"#),
    (#"_ZN1A1fEv.part.0"#, #"A::f() (.part.0)"#),
    (#"_ZN1A1fEv.isra.0"#, #"A::f() (.isra.0)"#),
    (#"_Z1fPc.cold"#, #"f(char*) (.cold)"#),
    (#"_Z1fU3fooi"#, #"f(int foo)"#),
    (#"_Z1fDv4_f"#, #"f(float vector[4])"#),
    (#"_ZTv0_n24_N1A1fEv"#, #"virtual thunk to A::f()"#),
    (#"_ZTv0_n12_N1AD1Ev"#, #"virtual thunk to A::~A()"#),
    (#"_ZThn16_N1AD0Ev"#, #"non-virtual thunk to A::~A()"#),
    (#"_ZTIPKc"#, #"typeinfo for char const*"#),
    (#"_ZTIi"#, #"typeinfo for int"#),
    (#"_ZTSPi"#, #"typeinfo name for int*"#),
    (#"_ZTVN10__cxxabiv117__class_type_infoE"#, #"vtable for __cxxabiv1::__class_type_info"#),
    (#"_ZGVN1A1xE"#, #"guard variable for A::x"#),
    (#"_ZZN1A1fEvE1x"#, #"A::f()::x"#),
    (#"_ZZN1A1fEvE1x_1"#, #"A::f()::x"#),
    (#"_ZZZ1fvEN1S1gEvE1x"#, #"f()::S::g()::x"#),
    (#"_Z1fILi0EEvv"#, #"void f<0>()"#),
    (#"_Z1fILl0EEvv"#, #"void f<0l>()"#),
    (#"_Z1fILm5EEvv"#, #"void f<5ul>()"#),
    (#"_Z1fILx5EEvv"#, #"void f<5ll>()"#),
    (#"_Z1fILc65EEvv"#, #"void f<(char)65>()"#),
    (#"_Z1fILcn1EEvv"#, #"void f<(char)-1>()"#),
    (#"_Z1fILj0EEvv"#, #"void f<0u>()"#),
    (#"_Z1fILN1E1AE3EEvv"#, #"void f<(E::A)3>()"#),
    (#"_Z1fIXadL_Z1xEEEvv"#, #"void f<&(x)>()"#),
    (#"_Z1fIXadL_Z1gvEEEvv"#, #"void f<&(g())>()"#),
    (#"_Z1fIiLi3EEvAT0__T_"#, #"void f<int, 3>(int [3])"#),
]

/// A small deterministic generator, so mutation tests are reproducible.
private struct DemangleFuzzRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Runs both demanglers; whatever they return must be nil or a non-empty string.
private func demangleBoth(_ name: String) -> Bool {
    let microsoft = demangleMicrosoft(name)
    let itanium = demangleItanium(name)
    return microsoft != "" && itanium != ""
}

/// An LLVM tool from PATH, /usr/bin or the Swift toolchain, if installed.
private func locateLLVMTool(_ name: String) -> String? {
    var folders = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
    folders += ["/usr/bin", "/opt/swift/usr/bin", "/usr/local/bin"]
    for folder in folders where !folder.isEmpty {
        let path = folder + "/" + name
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

/// Feeds lines to a tool's standard input and returns its standard output lines.
private func runLLVMTool(_ path: String, arguments: [String], input: [String]) throws -> [String] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let stdin = Pipe(), stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = FileHandle.nullDevice
    try process.run()
    // Write from another thread so a full output pipe cannot deadlock the writer.
    let data = Data((input.joined(separator: "\n") + "\n").utf8)
    let writer = Thread {
        stdin.fileHandleForWriting.write(data)
        try? stdin.fileHandleForWriting.close()
    }
    writer.start()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: output, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
}

@Suite struct DemangleTests {
    @Test func microsoftNamesFromRealObjects() {
        #expect(microsoftFromObjects.count >= 40)
        for (name, expected) in microsoftFromObjects {
            #expect(demangleMicrosoft(name) == expected, "\(name)")
        }
    }

    @Test func microsoftHandWrittenNames() {
        for (name, expected) in microsoftHandWritten {
            #expect(demangleMicrosoft(name) == expected, "\(name)")
        }
    }

    @Test func itaniumNamesFromRealObjects() {
        #expect(itaniumFromObjects.count >= 40)
        for (name, expected) in itaniumFromObjects {
            #expect(demangleItanium(name) == expected, "\(name)")
        }
    }

    @Test func itaniumHandWrittenNames() {
        for (name, expected) in itaniumHandWritten {
            #expect(demangleItanium(name) == expected, "\(name)")
        }
    }

    @Test func eachDemanglerOnlyAcceptsItsOwnScheme() {
        for (name, _) in microsoftFromObjects + microsoftHandWritten { #expect(demangleItanium(name) == nil, "\(name)") }
        for (name, _) in itaniumFromObjects + itaniumHandWritten { #expect(demangleMicrosoft(name) == nil, "\(name)") }
    }

    @Test func plainAndMalformedNamesAreNotDemangled() {
        let names = [
            "", "?", "??", "_", "_Z", "__Z", "main", "_main", "_Zebra", "__imp_foo", "foo@4", "@foo@8",
            "?x", "?x@", "?x@@", "?x@@3", "?x@@3H", "?f@@YAXH", "?f@@YAXH@", "?f@@YAXH@Zjunk", "??_C@_0",
            "??_C@_05CJBACGMB@hel@", "?f@@YAX9@Z", "?f@@YAX_L@Z", "_Z1", "_Z3fo", "_Z1fS_", "_Z1fT_",
            "_Z1fIiEv", "_ZN1A", "_ZN1A1fEvjunk", "_Z1fv.bad name", "_ZTV", "_Z1fILf0EEvv",
        ]
        for name in names {
            #expect(demangleMicrosoft(name) == nil, "\(name)")
            #expect(demangleItanium(name) == nil, "\(name)")
        }
        // Variables are names without a parameter list.
        #expect(demangleItanium("_Z3foo") == "foo")
        #expect(demangleItanium("_ZN1AE") == "A")
    }

    @Test func diagnosticsShowTheFullSignature() {
        #expect(demangledSuffix("?get@Counter@app@@QEBAHXZ") == " (public: int __cdecl app::Counter::get(void) const)")
        #expect(demangledSuffix("_ZNK3app7Counter3getEv") == " (app::Counter::get() const)")
        #expect(demangledSuffix("__ZN3app7Counter3setEi") == " (app::Counter::set(int))")
        #expect(demangledSuffix("plain_c_name") == "")
        #expect(demangledSuffix("_Zebra") == "")
        // Not fully understood: the qualified name is still shown.
        #expect(demangledSuffix("?get@Counter@app@@QEAA_LXZ") == " (app::Counter::get)")
        #expect(demangledSuffix("??0Counter@app@@QEAA@_L@Z") == " (app::Counter::Counter)")
    }

    /// Every prefix of every table name, and random byte mutations of them, finish quickly with
    /// nil or some text.
    @Test func truncatedAndMutatedNamesTerminate() {
        let names = (microsoftFromObjects + microsoftHandWritten + itaniumFromObjects + itaniumHandWritten).map { $0.0 }
        let alphabet = Array("?@$_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.".utf8)
        var random = DemangleFuzzRandom(state: 0x5EED)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for name in names {
                let bytes = Array(name.utf8)
                for length in 0...bytes.count {
                    #expect(demangleBoth(String(decoding: bytes[0..<length], as: UTF8.self)))
                }
                for _ in 0..<40 {
                    var mutated = bytes
                    for _ in 0..<Int.random(in: 1...4, using: &random) where !mutated.isEmpty {
                        let at = Int.random(in: 0..<mutated.count, using: &random)
                        switch Int.random(in: 0..<5, using: &random) {
                        case 0: mutated[at] = alphabet.randomElement(using: &random)!
                        case 1: mutated.remove(at: at)
                        case 2: mutated.insert(alphabet.randomElement(using: &random)!, at: at)
                        case 3: mutated[at] = UInt8.random(in: 0...255, using: &random)
                        default:
                            let other = Int.random(in: 0..<mutated.count, using: &random)
                            mutated.insert(contentsOf: mutated[min(at, other)..<max(at, other)], at: at)
                        }
                    }
                    #expect(demangleBoth(String(decoding: mutated, as: UTF8.self)))
                }
            }
        }
        #expect(elapsed < .seconds(60))
    }

    /// Inputs built to blow up recursion, output size or work must fail fast instead.
    @Test func hostileNamesAreBounded() {
        func templateParam(_ index: Int) -> String { index == 0 ? "T_" : "T\(index - 1)_" }
        var hostile = [
            "_Z1f" + String(repeating: "P", count: 5000) + "i",
            "_Z1f" + String(repeating: "N1A", count: 2000) + "E",
            "_Z" + String(repeating: "Z", count: 3000) + "1fvE",
            "_Z1fI" + String(repeating: "I", count: 2000) + "i" + String(repeating: "E", count: 2000) + "Evv",
            "_ZN1AIJ" + String(repeating: "JJ", count: 500) + String(repeating: "E", count: 1001) + "E1fEv",
            "_Z1f" + String(repeating: "A1_", count: 3000) + "i",
            "_Z1f" + String(repeating: "FvPFvPFvPFv", count: 300) + String(repeating: "E", count: 1200),
            "?f@@YAX" + String(repeating: "PEA", count: 3000) + "H@Z",
            "?x@" + String(repeating: "?1??", count: 1000) + "f@@YAXXZ@4HA",
            "??$f@" + String(repeating: "$$BY0", count: 2000) + "H@@YAXXZ",
            "?f@@YAX" + String(repeating: "V?$A@", count: 2000) + "H" + String(repeating: "@@", count: 2000) + "@Z",
            String(repeating: "?", count: 100_000),
            "_Z" + String(repeating: "1", count: 100_000),
        ]
        // Template arguments that each repeat the previous one twice: exponential if expanded.
        hostile.append("_Z1fIJE" + (1..<60).map { "J" + templateParam($0 - 1) + templateParam($0 - 1) + "E" }.joined() + "Evv")
        hostile.append("_Z1fIi" + (1..<60).map { "N1AI" + templateParam($0 - 1) + templateParam($0 - 1) + "EE" }.joined() + "Evv")
        // Function pointer parameters that repeat the previous one ten times through back-references.
        hostile.append("?f@@YAXPEAHP6AX0000000000@Z" + (1...8).map { "P6AX" + String(repeating: "\($0)", count: 10) + "@Z" }.joined() + "@Z")
        // Substitutions that double the previous type.
        hostile.append("_Z1fN1AIiEE" + (0..<60).map { "N1AI" + ($0 == 0 ? "S_S_" : "S\(2 * $0 - 1)_S\(2 * $0 - 1)_") + "EE" }.joined())
        let clock = ContinuousClock()
        for name in hostile {
            let elapsed = clock.measure { #expect(demangleBoth(name)) }
            #expect(elapsed < .seconds(2), "\(name.prefix(40))")
        }
        #expect(demangleItanium("_Z1f" + String(repeating: "P", count: 40) + "i") == "f(int" + String(repeating: "*", count: 40) + ")")
    }

    /// When llvm-undname and llvm-cxxfilt are installed, the pinned tables must still be what
    /// they print, name for name.
    @Test(.enabled(if: locateLLVMTool("llvm-undname") != nil && locateLLVMTool("llvm-cxxfilt") != nil))
    func tablesMatchTheLLVMToolsLive() throws {
        let undname = try #require(locateLLVMTool("llvm-undname"))
        let cxxfilt = try #require(locateLLVMTool("llvm-cxxfilt"))

        let microsoft = microsoftFromObjects + microsoftHandWritten
        // llvm-undname echoes each name, prints the demangled line (none on failure) and a blank line.
        let lines = try runLLVMTool(undname, arguments: [], input: microsoft.map { $0.0 })
        var cursor = 0
        var mismatches: [String] = []
        for (name, expected) in microsoft {
            while cursor < lines.count, lines[cursor] != name { cursor += 1 }
            guard cursor + 1 < lines.count else { mismatches.append(name + ": no output"); continue }
            let printed = lines[cursor + 1]
            cursor += 2
            if printed != expected || demangleMicrosoft(name) != printed {
                mismatches.append("\(name): llvm-undname \(printed), table \(expected), ours \(demangleMicrosoft(name) ?? "nil")")
            }
        }

        let itanium = itaniumFromObjects + itaniumHandWritten
        for extraUnderscore in [false, true] {
            let group = itanium.filter { $0.0.hasPrefix("__Z") == extraUnderscore }
            let printed = try runLLVMTool(cxxfilt, arguments: extraUnderscore ? ["-_"] : [], input: group.map { $0.0 })
            for (index, (name, expected)) in group.enumerated() {
                let tool = index < printed.count ? printed[index] : "<missing>"
                if tool != expected || demangleItanium(name) != tool {
                    mismatches.append("\(name): llvm-cxxfilt \(tool), table \(expected), ours \(demangleItanium(name) ?? "nil")")
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches:\n\(mismatches.joined(separator: "\n"))")
    }
}
