/**
 * Corrections to the EPSG registry package, each found and checked by the EPSG sweep against GDAL
 * (`npm run crs:sweep`; a stratified sample runs in `npm test`).
 */

/** What we change about one registry entry. */
export interface Correction {
  /** A whole proj4 definition replacing the registry's. */
  proj4?: string;
  /** The projection method's name, where the registry has no WKT to take it from. */
  method?: string;
  /** Refuse the CRS, for this reason (proj4js would run it but place it elsewhere than PROJ). */
  refuse?: string;
}

/**
 * EPSG code → correction. The refusals are the CRSs the sweep found placed more than a tenth of a pixel from
 * GDAL (a datum PROJ shifts through an operation the table cannot express, a prime-meridian or method
 * detail proj4js gets wrong) and those GDAL cannot place either: refused by name rather than placed wrongly.
 */
export const CORRECTIONS: Readonly<Record<number, Correction>> = {
  2088: { refuse: 'the EPSG sweep found it 1 m from where GDAL puts it' }, // Carthage / TM 11 NE
  2096: { refuse: 'the EPSG sweep found it 323 m from where GDAL puts it' }, // Korean 1985 / East Belt
  2097: { refuse: 'the EPSG sweep found it 327 m from where GDAL puts it' }, // Korean 1985 / Central Belt
  2098: { refuse: 'the EPSG sweep found it 328 m from where GDAL puts it' }, // Korean 1985 / West Belt
  2137: { refuse: 'the EPSG sweep found it 11 m from where GDAL puts it' }, // Accra / TM 1 NW
  2165: { refuse: 'the EPSG sweep found it 1 m from where GDAL puts it' }, // Abidjan 1987 / TM 5 NW
  2317: { refuse: 'the EPSG sweep found it 5 m from where GDAL puts it' }, // PSAD56 / ICN Regional
  3069: { refuse: 'the EPSG sweep found it 1 m from where GDAL puts it' }, // NAD27 / Wisconsin Transverse Mercator
  4120: { refuse: 'the EPSG sweep found it 156 m from where GDAL puts it' }, // Greek
  4162: { refuse: 'the EPSG sweep found it 331 m from where GDAL puts it' }, // Korean 1985
  4229: { refuse: 'the EPSG sweep found it 1 m from where GDAL puts it' }, // Egypt 1907
  4266: { refuse: 'the EPSG sweep found it 115 m from where GDAL puts it' }, // M'poraloko
  4805: { refuse: 'the EPSG sweep found it 79 m from where GDAL puts it' }, // MGI (Ferro)
  4815: { refuse: 'the EPSG sweep found it 156 m from where GDAL puts it' }, // Greek (Athens)
  4818: { refuse: 'the EPSG sweep found it 104 m from where GDAL puts it' }, // S-JTSK (Ferro)
  5167: { refuse: 'the EPSG sweep found it 313 m from where GDAL puts it' }, // Korean 1985 / East Sea Belt
  5168: { refuse: 'the EPSG sweep found it 361 m from where GDAL puts it' }, // Korean 1985 / Central Belt Jeju
  5169: { method: 'Transverse Mercator', refuse: 'the EPSG sweep found it 310 m from where GDAL puts it' }, // Tokyo 1892 / Korea West Belt
  5170: { method: 'Transverse Mercator', refuse: 'the EPSG sweep found it 310 m from where GDAL puts it' }, // Tokyo 1892 / Korea Central Belt
  5173: { refuse: 'the EPSG sweep found it 328 m from where GDAL puts it' }, // Korean 1985 / Modified West Belt
  5174: { refuse: 'the EPSG sweep found it 327 m from where GDAL puts it' }, // Korean 1985 / Modified Central Belt
  5175: { refuse: 'the EPSG sweep found it 361 m from where GDAL puts it' }, // Korean 1985 / Modified Central Belt Jeju
  5176: { refuse: 'the EPSG sweep found it 323 m from where GDAL puts it' }, // Korean 1985 / Modified East Belt
  5177: { refuse: 'the EPSG sweep found it 313 m from where GDAL puts it' }, // Korean 1985 / Modified East Sea Belt
  5178: { refuse: 'the EPSG sweep found it 331 m from where GDAL puts it' }, // Korean 1985 / Unified CS
  5482: { refuse: 'the EPSG sweep found it 80 m from where GDAL puts it' }, // RSRGD2000 / RSPS2000
  5520: { refuse: 'the EPSG sweep found it 198 m from where GDAL puts it' }, // DHDN / 3-degree Gauss-Kruger zone 1
  5643: { refuse: 'the EPSG sweep found it 2 m from where GDAL puts it' }, // ED50 / SPBA LCC
  5680: { refuse: 'the EPSG sweep found it 198 m from where GDAL puts it' }, // DHDN / 3-degree Gauss-Kruger zone 1 (E-N)
  6093: { refuse: 'the EPSG sweep found it 77 m from where GDAL puts it' }, // WGS 84 / EPSG Arctic zone 5-27
  8044: { refuse: 'the EPSG sweep found it 129480 m from where GDAL puts it' }, // Gusterberg Grid (Ferro)
  8045: { refuse: 'the EPSG sweep found it 99864 m from where GDAL puts it' }, // St. Stephen Grid (Ferro)
  8428: { refuse: 'the EPSG sweep found it 306 m from where GDAL puts it' }, // Macao 1920
  8433: { refuse: 'the EPSG sweep found it 306 m from where GDAL puts it' }, // Macao 1920 / Macao Grid
  8995: { refuse: 'GDAL itself cannot place it (PROJ has no inverse for it)' }, // 
  8996: { refuse: 'GDAL itself cannot place it (PROJ has no inverse for it)' }, // 
  8997: { refuse: 'GDAL itself cannot place it (PROJ has no inverse for it)' }, // 
  8998: { refuse: 'GDAL itself cannot place it (PROJ has no inverse for it)' }, // 
  9000: { refuse: 'GDAL itself cannot place it (PROJ has no inverse for it)' }, // 
  9284: { refuse: 'the EPSG sweep found it 220 m from where GDAL puts it' }, // Pampa del Castillo / Argentina 1
  9311: { refuse: 'the EPSG sweep found it 7 m from where GDAL puts it' }, // NAD27 / US National Atlas Equal Area
  20349: { refuse: 'the EPSG sweep found it 11 m from where GDAL puts it' }, // AGD84 / AMG zone 49
  20350: { refuse: 'the EPSG sweep found it 10 m from where GDAL puts it' }, // AGD84 / AMG zone 50
  20351: { refuse: 'the EPSG sweep found it 10 m from where GDAL puts it' }, // AGD84 / AMG zone 51
  20352: { refuse: 'the EPSG sweep found it 9 m from where GDAL puts it' }, // AGD84 / AMG zone 52
  20353: { refuse: 'the EPSG sweep found it 12 m from where GDAL puts it' }, // AGD84 / AMG zone 53
  20354: { refuse: 'the EPSG sweep found it 10 m from where GDAL puts it' }, // AGD84 / AMG zone 54
  20355: { refuse: 'the EPSG sweep found it 9 m from where GDAL puts it' }, // AGD84 / AMG zone 55
  20356: { refuse: 'the EPSG sweep found it 10 m from where GDAL puts it' }, // AGD84 / AMG zone 56
  21260: { refuse: 'the EPSG sweep found it 80 m from where GDAL puts it' }, // GSK-2011 / GSK 3GK zone 60
  21360: { refuse: 'the EPSG sweep found it 80 m from where GDAL puts it' }, // GSK-2011 / GSK 3GK CM 180E
  22332: { refuse: 'the EPSG sweep found it 1 m from where GDAL puts it' }, // Carthage / UTM zone 32N
  22991: { refuse: 'the EPSG sweep found it 4 m from where GDAL puts it' }, // Egypt 1907 / Blue Belt
  22992: { refuse: 'the EPSG sweep found it 2 m from where GDAL puts it' }, // Egypt 1907 / Red Belt
  22993: { refuse: 'the EPSG sweep found it 3 m from where GDAL puts it' }, // Egypt 1907 / Purple Belt
  22994: { refuse: 'the EPSG sweep found it 5 m from where GDAL puts it' }, // Egypt 1907 / Extended Purple Belt
  24718: { refuse: 'the EPSG sweep found it 7 m from where GDAL puts it' }, // La Canoa / UTM zone 18N
  24719: { refuse: 'the EPSG sweep found it 6 m from where GDAL puts it' }, // La Canoa / UTM zone 19N
  24819: { refuse: 'the EPSG sweep found it 4 m from where GDAL puts it' }, // PSAD56 / UTM zone 19N
  24820: { refuse: 'the EPSG sweep found it 7 m from where GDAL puts it' }, // PSAD56 / UTM zone 20N
  26331: { refuse: 'the EPSG sweep found it 9 m from where GDAL puts it' }, // Minna / UTM zone 31N
  26332: { refuse: 'the EPSG sweep found it 9 m from where GDAL puts it' }, // Minna / UTM zone 32N
  32053: { refuse: 'the EPSG sweep found it 1 m from where GDAL puts it' }, // NAD27 / Wisconsin Central
  2000: { method: 'Transverse Mercator' }, // Anguilla 1957 / British West Indies Grid
  2065: { method: 'Krovak' }, // S-JTSK (Ferro) / Krovak
  3139: { method: 'Hyperbolic Cassini-Soldner' }, // Vanua Levu 1915 / Vanua Levu Grid
  3295: { method: 'Modified Azimuthal Equidistant' }, // Guam 1963 / Yap Islands
  3561: { method: 'Transverse Mercator' }, // Old Hawaiian / Hawaii zone 1
  3562: { method: 'Transverse Mercator' }, // Old Hawaiian / Hawaii zone 2
  3563: { method: 'Transverse Mercator' }, // Old Hawaiian / Hawaii zone 3
  3564: { method: 'Transverse Mercator' }, // Old Hawaiian / Hawaii zone 4
  3565: { method: 'Transverse Mercator' }, // Old Hawaiian / Hawaii zone 5
  3993: { method: 'Guam Projection' }, // Guam 1963 / Guam SPCS
  5171: { method: 'Transverse Mercator' }, // Tokyo 1892 / Korea East Belt
  5172: { method: 'Transverse Mercator' }, // Tokyo 1892 / Korea East Sea Belt
  5221: { method: 'Krovak (North Orientated)' }, // S-JTSK (Ferro) / Krovak East North
  5329: { method: 'Mercator (variant A)' }, // Segara (Jakarta) / NEIEZ
  5330: { method: 'Mercator (variant A)' }, // Batavia (Jakarta) / NEIEZ
  5331: { method: 'Mercator (variant A)' }, // Makassar (Jakarta) / NEIEZ
  6201: { method: 'Lambert Conic Conformal (2SP Michigan)' }, // NAD27 / Michigan Central
  6202: { method: 'Lambert Conic Conformal (2SP Michigan)' }, // NAD27 / Michigan South
  6244: { method: 'Colombia Urban' }, // MAGNA-SIRGAS / Arauca urban grid
  6245: { method: 'Colombia Urban' }, // MAGNA-SIRGAS / Armenia urban grid
  6246: { method: 'Colombia Urban' }, // MAGNA-SIRGAS / Barranquilla urban grid
  6247: { method: 'Colombia Urban' }, // MAGNA-SIRGAS / Bogota urban grid
  6248: { method: 'Colombia Urban' }, // MAGNA-SIRGAS / Bucaramanga urban grid
  6249: { method: 'Colombia Urban' }, // MAGNA-SIRGAS / Cali urban grid
  6250: { method: 'Colombia Urban' }, // MAGNA-SIRGAS / Cartagena urban grid
  6251: { method: 'Colombia Urban' }, // MAGNA-SIRGAS / Cucuta urban grid
  6252: { method: 'Colombia Urban' }, // MAGNA-SIRGAS / Florencia urban grid
  6253: { method: 'Colombia Urban' }, // MAGNA-SIRGAS / Ibague urban grid
  6254: { method: 'Colombia Urban' }, // MAGNA-SIRGAS / Inirida urban grid
  6255: { method: 'Colombia Urban' }, // MAGNA-SIRGAS / Leticia urban grid
  6256: { method: 'Colombia Urban' }, // MAGNA-SIRGAS / Manizales urban grid
  6257: { method: 'Colombia Urban' }, // MAGNA-SIRGAS / Medellin urban grid
  6258: { method: 'Colombia Urban' }, // MAGNA-SIRGAS / Mitu urban grid
  6259: { method: 'Colombia Urban' }, // MAGNA-SIRGAS / Mocoa urban grid
  6260: { method: 'Colombia Urban' }, // MAGNA-SIRGAS / Monteria urban grid
  6261: { method: 'Colombia Urban' }, // MAGNA-SIRGAS / Neiva urban grid
  6262: { method: 'Colombia Urban' }, // MAGNA-SIRGAS / Pasto urban grid
  6263: { method: 'Colombia Urban' }, // MAGNA-SIRGAS / Pereira urban grid
  6264: { method: 'Colombia Urban' }, // MAGNA-SIRGAS / Popayan urban grid
  6265: { method: 'Colombia Urban' }, // MAGNA-SIRGAS / Puerto Carreno urban grid
  6266: { method: 'Colombia Urban' }, // MAGNA-SIRGAS / Quibdo urban grid
  6267: { method: 'Colombia Urban' }, // MAGNA-SIRGAS / Riohacha urban grid
  6268: { method: 'Colombia Urban' }, // MAGNA-SIRGAS / San Andres urban grid
  6269: { method: 'Colombia Urban' }, // MAGNA-SIRGAS / San Jose del Guaviare urban grid
  6270: { method: 'Colombia Urban' }, // MAGNA-SIRGAS / Santa Marta urban grid
  6271: { method: 'Colombia Urban' }, // MAGNA-SIRGAS / Sucre urban grid
  6272: { method: 'Colombia Urban' }, // MAGNA-SIRGAS / Tunja urban grid
  6273: { method: 'Colombia Urban' }, // MAGNA-SIRGAS / Valledupar urban grid
  6274: { method: 'Colombia Urban' }, // MAGNA-SIRGAS / Villavicencio urban grid
  6275: { method: 'Colombia Urban' }, // MAGNA-SIRGAS / Yopal urban grid
  6966: { method: 'Lambert Conic Conformal (2SP Michigan)' }, // NAD27 / Michigan North
  8857: { method: 'Equal Earth' }, // WGS 84 / Equal Earth Greenwich
  8858: { method: 'Equal Earth' }, // WGS 84 / Equal Earth Americas
  8859: { method: 'Equal Earth' }, // WGS 84 / Equal Earth Asia-Pacific
  9895: { method: 'Transverse Mercator 3D' }, // LUREF / Luxembourg TM (3D)
  20047: { method: 'Transverse Mercator' }, // GDA2020 / BCSG2020
  20050: { method: 'Hotine Oblique Mercator (variant B)' }, // NAD83(2011) / Amtrak NECCS21 (ft)
  20790: { method: 'Transverse Mercator' }, // Lisbon (Lisbon) / Portuguese National Grid
  20791: { method: 'Transverse Mercator' }, // Lisbon (Lisbon) / Portuguese Grid
  21780: { method: 'Hotine Oblique Mercator (variant B)' }, // Bern 1898 (Bern) / LV03C
  27391: { method: 'Transverse Mercator' }, // NGO 1948 (Oslo) / NGO zone I
  27392: { method: 'Transverse Mercator' }, // NGO 1948 (Oslo) / NGO zone II
  27393: { method: 'Transverse Mercator' }, // NGO 1948 (Oslo) / NGO zone III
  27394: { method: 'Transverse Mercator' }, // NGO 1948 (Oslo) / NGO zone IV
  27395: { method: 'Transverse Mercator' }, // NGO 1948 (Oslo) / NGO zone V
  27396: { method: 'Transverse Mercator' }, // NGO 1948 (Oslo) / NGO zone VI
  27397: { method: 'Transverse Mercator' }, // NGO 1948 (Oslo) / NGO zone VII
  27398: { method: 'Transverse Mercator' }, // NGO 1948 (Oslo) / NGO zone VIII
  27561: { method: 'Lambert Conic Conformal (1SP)' }, // NTF (Paris) / Lambert Nord France
  27562: { method: 'Lambert Conic Conformal (1SP)' }, // NTF (Paris) / Lambert Centre France
  27563: { method: 'Lambert Conic Conformal (1SP)' }, // NTF (Paris) / Lambert Sud France
  27564: { method: 'Lambert Conic Conformal (1SP)' }, // NTF (Paris) / Lambert Corse
  27571: { method: 'Lambert Conic Conformal (1SP)' }, // NTF (Paris) / Lambert zone I
  27572: { method: 'Lambert Conic Conformal (1SP)' }, // NTF (Paris) / Lambert zone II
  27573: { method: 'Lambert Conic Conformal (1SP)' }, // NTF (Paris) / Lambert zone III
  27574: { method: 'Lambert Conic Conformal (1SP)' }, // NTF (Paris) / Lambert zone IV
  29701: { method: 'Laborde Oblique Mercator' }, // Tananarive (Paris) / Laborde Grid
  29702: { method: 'Hotine Oblique Mercator (variant B)' }, // Tananarive (Paris) / Laborde Grid approximation
  31251: { method: 'Transverse Mercator' }, // MGI (Ferro) / Austria GK West Zone
  31252: { method: 'Transverse Mercator' }, // MGI (Ferro) / Austria GK Central Zone
  31253: { method: 'Transverse Mercator' }, // MGI (Ferro) / Austria GK East Zone
  31281: { method: 'Transverse Mercator' }, // MGI (Ferro) / Austria West Zone
  31282: { method: 'Transverse Mercator' }, // MGI (Ferro) / Austria Central Zone
  31283: { method: 'Transverse Mercator' }, // MGI (Ferro) / Austria East Zone
  31288: { method: 'Transverse Mercator' }, // MGI (Ferro) / Austria zone M28
  31289: { method: 'Transverse Mercator' }, // MGI (Ferro) / Austria zone M31
  31290: { method: 'Transverse Mercator' }, // MGI (Ferro) / Austria zone M34
};
