// The platform's OpenSSL libcrypto, used for one hot path: opening AES-256-GCM item boxes.
// swift-crypto seals everything; the box format (nonce 12 ‖ ciphertext ‖ tag 16) is standard, so
// either library opens what the other sealed.
#include <openssl/evp.h>
#include <stddef.h>
#include <stdint.h>

/// Opens an AES-256-GCM combined box (12-byte nonce ‖ ciphertext ‖ 16-byte tag) with a 32-byte
/// key and additional authenticated data into `out`, which holds `box_length - 28` bytes.
/// Returns 1 when the box is authentic, 0 when it is not, -1 when libcrypto fails.
static inline int assay_aes256gcm_open(
    const uint8_t *key, const uint8_t *box, size_t box_length,
    const uint8_t *aad, size_t aad_length, uint8_t *out
) {
    // One fetched cipher and one context per thread, reused: fetching per call costs more than a 1 KiB open.
    static __thread EVP_CIPHER *cipher;
    static __thread EVP_CIPHER_CTX *context;
    if (box_length < 28 || box_length - 28 > INT32_MAX || aad_length > INT32_MAX) return 0;
    if (cipher == NULL && (cipher = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL)) == NULL) return -1;
    if (context == NULL && (context = EVP_CIPHER_CTX_new()) == NULL) return -1;
    int length = 0;
    int body = (int)(box_length - 28);
    // After the first call the context keeps its cipher: passing NULL re-keys it without resetting it.
    if (EVP_DecryptInit_ex2(context, EVP_CIPHER_CTX_get0_cipher(context) == NULL ? cipher : NULL, key, box, NULL) != 1) return -1;
    if (aad_length > 0 && EVP_DecryptUpdate(context, NULL, &length, aad, (int)aad_length) != 1) return -1;
    if (body > 0 && EVP_DecryptUpdate(context, out, &length, box + 12, body) != 1) return -1;
    if (EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, 16, (void *)(box + 12 + body)) != 1) return -1;
    return EVP_DecryptFinal_ex(context, out + length, &length) == 1 ? 1 : 0;
}
