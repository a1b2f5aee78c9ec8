#ifndef OVERENS_IMAGE_FIXTURES_H
#define OVERENS_IMAGE_FIXTURES_H

#include <stddef.h>

/// Test images for the image tests, made at test time through libvips.

/// A width × height picture: its top fifth plain red, the rest a blue-green gradient with
/// noise from `seed`; `bands` 3 (RGB) or 4 (RGBA, half transparent below the band).
/// Encoded as `format` (0 JPEG, 1 PNG, 2 WebP) with no metadata but, when `profile`,
/// libvips' built-in sRGB ICC profile. 0, or -1.
/// *bytes is freed with overens_fixture_free.
int overens_fixture_encode(int width, int height, int bands, int format, unsigned seed, int profile, void **bytes, size_t *length);

/// The mean of each of the first three bands over a rectangle of an encoded image (read
/// with the loader of `format`), 0 to 255. 0, or -1.
int overens_fixture_mean(const void *data, size_t length, int format, int x, int y, int width, int height, double rgb[3]);

/// Width, height and bands of an encoded image. 0, or -1.
int overens_fixture_size(const void *data, size_t length, int format, int *width, int *height, int *bands);

void overens_fixture_free(void *memory);

#endif
