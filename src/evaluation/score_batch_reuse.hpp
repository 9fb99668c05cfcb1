#pragma once
// Scoring chunk after chunk into one ScoreBatch, whose memory is reused.
#include <kelias/scoring.hpp>

KELIAS_BEGIN_NAMESPACE
namespace detail {

struct ScoreBatchReuse {
    /// An empty batch of results for `instrument`.
    static ScoreBatch make(const Instrument& instrument);
    /// What score_batch(instrument, batch, options) returns, written into `out`: its vectors
    /// keep their memory, so a run of equal chunks faults in no fresh pages for the results.
    static void score(ScoreBatch& out, const Instrument& instrument, const RatingsBatch& batch,
                      const ScoreOptions& options);
};

}  // namespace detail
KELIAS_END_NAMESPACE
