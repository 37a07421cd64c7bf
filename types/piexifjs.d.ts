/**
 * Our own typings for piexifjs 1.0.6 (the package ships none). Only what the attachment generator
 * uses is declared. JPEG data and EXIF blocks are "binary strings" (one character per byte).
 */
declare module 'piexifjs' {
  type Rational = [number, number];

  export interface ExifDict {
    '0th'?: Record<number, unknown>;
    Exif?: Record<number, unknown>;
    GPS?: Record<number, unknown>;
    Interop?: Record<number, unknown>;
    '1st'?: Record<number, unknown>;
    thumbnail?: string | null;
  }

  type Tags<Names extends string> = { readonly [Name in Names]: number } & { readonly [tag: string]: number };

  interface Piexif {
    ImageIFD: Tags<
      | 'Make'
      | 'Model'
      | 'Software'
      | 'Artist'
      | 'Copyright'
      | 'ImageDescription'
      | 'Orientation'
      | 'DateTime'
      | 'XResolution'
      | 'YResolution'
      | 'ResolutionUnit'
    >;
    ExifIFD: Tags<
      | 'DateTimeOriginal'
      | 'DateTimeDigitized'
      | 'LensModel'
      | 'ISOSpeedRatings'
      | 'ExposureTime'
      | 'FNumber'
      | 'FocalLength'
      | 'Flash'
      | 'UserComment'
      | 'PixelXDimension'
      | 'PixelYDimension'
    >;
    GPSIFD: Tags<
      | 'GPSVersionID'
      | 'GPSLatitudeRef'
      | 'GPSLatitude'
      | 'GPSLongitudeRef'
      | 'GPSLongitude'
      | 'GPSAltitudeRef'
      | 'GPSAltitude'
      | 'GPSDateStamp'
    >;
    dump(exif: ExifDict): string;
    insert(exif: string, jpeg: string): string;
    load(jpeg: string): ExifDict;
    remove(jpeg: string): string;
    GPSHelper: {
      degToDmsRational(degrees: number): [Rational, Rational, Rational];
      dmsRationalToDeg(dms: [Rational, Rational, Rational], ref: string): number;
    };
  }

  const piexif: Piexif;
  export default piexif;
}
