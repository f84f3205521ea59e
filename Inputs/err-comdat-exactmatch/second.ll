; Second copy: same size, last word differs (5, not 4), selection EXACT_MATCH -- a contents mismatch.
$shared_blob = comdat exactmatch
@shared_blob = global [4 x i32] [i32 1, i32 2, i32 3, i32 5], comdat, align 4

define dllexport ptr @blob_from_second() {
  ret ptr @shared_blob
}
