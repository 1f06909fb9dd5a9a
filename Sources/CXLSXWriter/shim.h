// Debian's libxlsxwriter, used to write list exports as XLSX workbooks.
#include <xlsxwriter.h>
