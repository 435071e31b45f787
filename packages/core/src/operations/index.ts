// Single-object operations: equal, needTransfer, copy, move, delete, purge, rmdirs (rclone fs/operations).
export {};
