; Second copy: also 16 bytes (different contents, which SAME_SIZE allows), selection SAME_SIZE.
$shared_blob = comdat samesize
@shared_blob = global [4 x i32] [i32 5, i32 6, i32 7, i32 8], comdat, align 4

define dllexport ptr @blob_from_second() {
  ret ptr @shared_blob
}
