-- gpu_reference: the gpu_specs rows behind this week's estimates, so each factor can be checked.
-- params: week_start, week_end
SELECT DISTINCT ON (s.gpu)
    s.gpu,
    s.vendor,
    s.market_class,
    s.dense_bf16_tflops,
    s.h100e,
    s.h100e_basis,
    s.h100e_bf16,
    s.h100e_tpp,
    s.h100e_mem_bw,
    s.eccn_oct2023,
    s.source
FROM gpu_specs AS s
WHERE s.gpu IN (
    SELECT gpu_model FROM rentals WHERE block_time >= $week_start AND block_time < $week_end
)
ORDER BY s.gpu, s.source
