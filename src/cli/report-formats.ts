/** The files `loa report --format` writes. */
export const FORMATS = ['csv', 'xlsx', 'docx'] as const;
