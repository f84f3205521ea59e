; First copy of the COMDAT datum: 16 bytes, selection EXACT_MATCH.
$shared_blob = comdat exactmatch
@shared_blob = global [4 x i32] [i32 1, i32 2, i32 3, i32 4], comdat, align 4

define dllexport ptr @blob_from_first() {
  ret ptr @shared_blob
}
