; The first object's copy of the COMDAT datum: 2 words (8 bytes), selection LARGEST.
; It is placed in .data$z (grouped into .data, after plain .data) -- see NOTES.
$shared_blob = comdat largest
@shared_blob = global [2 x i32] [i32 17, i32 18], comdat, section ".data$z", align 4

define dllexport ptr @blob_from_small() {
  ret ptr @shared_blob
}
