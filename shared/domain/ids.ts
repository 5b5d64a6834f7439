/** Ids become key segments and URL parts: keep them to characters that cannot forge a separator. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
