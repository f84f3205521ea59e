/* Known-answer tests through the libgcrypt DLL the linker under test links (x64 or i686): SHA-256("abc") (FIPS 180-2) and AES-128 (FIPS-197 C.1). */
#include <stdio.h>
#include <string.h>
#include <gcrypt.h>
static void hex(const unsigned char *p, int n, char *out) { for (int i = 0; i < n; i++) sprintf(out + 2 * i, "%02x", p[i]); }
int main(void) {
    if (!gcry_check_version(NULL)) { printf("version check failed\n"); return 1; }
    gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
    gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
    unsigned char digest[32]; char text[65];
    gcry_md_hash_buffer(GCRY_MD_SHA256, digest, "abc", 3);
    hex(digest, 32, text);
    printf("sha256(abc)=%s\n", text);
    /* FIPS-197 appendix C.1: AES-128 */
    unsigned char key[16], plain[16], cipher[16];
    for (int i = 0; i < 16; i++) { key[i] = i; plain[i] = (unsigned char)(i * 0x11); }
    gcry_cipher_hd_t h;
    int rc = gcry_cipher_open(&h, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_ECB, 0);
    rc |= gcry_cipher_setkey(h, key, 16);
    rc |= gcry_cipher_encrypt(h, cipher, 16, plain, 16);
    gcry_cipher_close(h);
    char ctext[33]; hex(cipher, 16, ctext);
    printf("aes128=%s rc=%d\n", ctext, rc);
    return 0;
}
