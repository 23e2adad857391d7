package web

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
)

// maxPixels bounds a decoded image: a small file can claim a huge size
// and exhaust memory when decoded (a decompression bomb).
const maxPixels = 40_000_000

// stripImage decodes a JPEG or PNG and encodes its pixels again. Nothing
// but the pixels survives: no EXIF (camera serial numbers, GPS position,
// time), no XMP, no comments, no thumbnails that keep the uncropped
// picture. Other formats are refused rather than passed through.
func stripImage(b []byte) ([]byte, string, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, "", errors.New("not a JPEG or PNG image")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxPixels {
		return nil, "", errors.New("image dimensions out of range")
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, "", errors.New("image does not decode")
	}
	var out bytes.Buffer
	switch format {
	case "jpeg":
		err = jpeg.Encode(&out, img, &jpeg.Options{Quality: 90})
		return out.Bytes(), "image/jpeg", err
	case "png":
		err = png.Encode(&out, img)
		return out.Bytes(), "image/png", err
	}
	return nil, "", errors.New("not a JPEG or PNG image")
}
