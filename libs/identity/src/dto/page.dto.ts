// The platform's keyset page query, re-exported for the identity DTOs that extend it.
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageQueryDto } from '@app/common';
