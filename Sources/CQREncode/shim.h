// Debian's libqrencode (QR Code model 2, ISO/IEC 18004), used to draw admission-ticket codes.
#include <qrencode.h>
