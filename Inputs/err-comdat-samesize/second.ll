; Second copy: 20 bytes, selection SAME_SIZE -- a size mismatch.
$shared_blob = comdat samesize
@shared_blob = global [5 x i32] [i32 1, i32 2, i32 3, i32 4, i32 5], comdat, align 4

define dllexport ptr @blob_from_second() {
  ret ptr @shared_blob
}
