/** Environment values several image families share. */

/** The default `PATH` of the official images. */
export const PATH_ENV = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' };
