// Small helpers of the memory backend: bucket splitting.

/** rclone `bucket.Split`: `bucket/dir/file` → [`bucket`, `dir/file`]. */
export function splitBucket(absPath: string): [bucket: string, bucketPath: string] {
  if (absPath === '') return ['', ''];
  const slash = absPath.indexOf('/');
  return slash < 0 ? [absPath, ''] : [absPath.slice(0, slash), absPath.slice(slash + 1)];
}

