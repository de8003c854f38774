"""Stage 11, report: JSON/JSONL/CSV/Parquet records and terminal views of stored results."""
