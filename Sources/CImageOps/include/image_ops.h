#ifndef OVERENS_IMAGE_OPS_H
#define OVERENS_IMAGE_OPS_H

#include <stddef.h>

/// The few libvips calls the site needs, without variadic arguments (which Swift cannot
/// make). Every function that can fail returns an error text in *error (free it with
/// overens_image_free); libvips' own error buffer is left empty.

typedef enum {
    OVERENS_IMAGE_JPEG = 0,
    OVERENS_IMAGE_PNG = 1,
    OVERENS_IMAGE_WEBP = 2,
} overens_image_format;

typedef struct overens_image overens_image;

/// Starts libvips once per process. 0, or -1 with *error set.
int overens_image_start(char **error);

/// The libvips version actually loaded, such as "8.14.1".
const char *overens_image_library_version(void);

/// Reads only the header, with the loader of `format` (never one chosen by content). The
/// bytes are copied. NULL with *error set when the header cannot be read.
overens_image *overens_image_open(const void *data, size_t length, overens_image_format format, char **error);

/// The upright size: width and height swapped when the EXIF orientation turns the image.
int overens_image_width(const overens_image *image);
int overens_image_height(const overens_image *image);

/// Decodes the pixels into memory as 8-bit sRGB (or grey), turned upright. 0, or -1 with
/// *error set (a damaged or cut-short file).
int overens_image_decode(overens_image *image, char **error);

/// A decoded image scaled down to `width` (aspect kept); never larger than the image.
overens_image *overens_image_resize(const overens_image *image, int width, char **error);

/// Encodes a decoded image with no metadata (EXIF, XMP, ICC stripped). *bytes is freed
/// with overens_image_free. 0, or -1 with *error set.
int overens_image_save(const overens_image *image, overens_image_format format, void **bytes, size_t *length, char **error);

void overens_image_close(overens_image *image);

/// SHA-256 of the bytes as 64 lowercase hex digits (GLib); free with overens_image_free.
char *overens_sha256(const void *data, size_t length);

void overens_image_free(void *memory);

#endif
