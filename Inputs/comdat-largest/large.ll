; The second object's copy of the COMDAT datum: 6 words (24 bytes), selection LARGEST.
; It comes later on the command line but is larger, so it must be the one kept.

$shared_blob = comdat largest
@shared_blob = global [6 x i32] [i32 61, i32 62, i32 63, i32 64, i32 65, i32 66], comdat, align 4

define dllexport ptr @blob_from_large() {
  ret ptr @shared_blob
}
