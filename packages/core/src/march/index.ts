// Lock-step traversal of two directory trees (rclone fs/march).
export {};
