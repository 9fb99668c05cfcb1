#!/usr/bin/env Rscript
# Reference values for kelias's statistics (tests/test_stats.cpp, tests/python/test_stats.py).
#
# Writes fixed, seeded datasets as CSV next to this script and the values R computes from
# them into references.csv (dataset, statistic, key, value; values with 17 significant
# digits). Run from anywhere:  Rscript tests/data/stats/make_references.R
# Needs R with psych and pROC (Debian: r-base-core r-cran-psych r-cran-proc). CI does not
# run it: the outputs are committed; rerun it only to change the datasets.
suppressPackageStartupMessages({
  library(psych)
  library(pROC)
})

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
out_dir <- if (length(script)) dirname(normalizePath(script)) else "."

refs <- data.frame(dataset = character(), statistic = character(), key = character(), value = character(),
                   stringsAsFactors = FALSE)
add <- function(dataset, statistic, key, value) {
  refs[nrow(refs) + 1, ] <<- list(dataset, statistic, key, sprintf("%.17g", as.numeric(value)))
}
write_data <- function(df, name) {
  write.csv(df, file.path(out_dir, name), row.names = FALSE, na = "", quote = FALSE)
}

set.seed(20261130)

# --- Cronbach's alpha: 6 items scored 0-2 (like START:AV), 240 rows, 12 with a missing item.
n <- 240
latent <- rnorm(n)
items <- sapply(1:6, function(j) {
  raw <- 0.5 * j / 6 + 0.9 * latent + rnorm(n, sd = 0.8 + 0.1 * j)
  as.integer(cut(raw, breaks = c(-Inf, -0.4, 0.7, Inf))) - 1L
})
colnames(items) <- paste0("i", 1:6)
items_missing <- items
missing_cells <- cbind(sample(n, 12), sample(6, 12, replace = TRUE))
items_missing[missing_cells] <- NA
write_data(as.data.frame(items_missing), "alpha_items.csv")
complete <- na.omit(as.data.frame(items_missing))
a <- psych::alpha(complete, warnings = FALSE)
add("alpha_items", "alpha", "n", nrow(complete))
add("alpha_items", "alpha", "raw_alpha", a$total$raw_alpha)
add("alpha_items", "alpha", "std_alpha", a$total$std.alpha)
ci <- psych::alpha.ci(a$total$raw_alpha, nrow(complete), ncol(complete), p.val = 0.05)
add("alpha_items", "alpha", "feldt_lower", ci$lower.ci)
add("alpha_items", "alpha", "feldt_upper", ci$upper.ci)
total <- rowSums(complete)
add("alpha_items", "alpha", "total_mean", mean(total))
add("alpha_items", "alpha", "total_sd", sd(total))
add("alpha_items", "alpha", "sem", sd(total) * sqrt(1 - a$total$raw_alpha))
for (j in 1:6) {
  item <- colnames(complete)[j]
  add("alpha_items", "alpha", paste0(item, ".mean"), a$item.stats$mean[j])
  add("alpha_items", "alpha", paste0(item, ".sd"), a$item.stats$sd[j])
  add("alpha_items", "alpha", paste0(item, ".raw_r"), a$item.stats$raw.r[j])
  add("alpha_items", "alpha", paste0(item, ".r_drop"), a$item.stats$r.drop[j])
  add("alpha_items", "alpha", paste0(item, ".alpha_drop"), a$alpha.drop$raw_alpha[j])
}

# --- ICC: Shrout & Fleiss (1979), Table 2: 6 targets, 4 judges.
sf <- data.frame(j1 = c(9, 6, 8, 7, 10, 6), j2 = c(2, 1, 4, 1, 5, 2), j3 = c(5, 3, 6, 2, 6, 4), j4 = c(8, 2, 8, 6, 9, 7))
write_data(sf, "shrout_fleiss.csv")
icc_refs <- function(dataset, x) {
  r <- psych::ICC(x, lmer = FALSE)$results
  for (i in seq_len(nrow(r))) {
    form <- r$type[i]
    add(dataset, "icc", paste0(form, ".icc"), r$ICC[i])
    add(dataset, "icc", paste0(form, ".f"), r$F[i])
    add(dataset, "icc", paste0(form, ".df1"), r$df1[i])
    add(dataset, "icc", paste0(form, ".df2"), r$df2[i])
    add(dataset, "icc", paste0(form, ".p"), r$p[i])
    add(dataset, "icc", paste0(form, ".lower"), r$`lower bound`[i])
    add(dataset, "icc", paste0(form, ".upper"), r$`upper bound`[i])
  }
}
icc_refs("shrout_fleiss", sf)

# --- ICC: 40 targets, 3 raters (rater 3 rates higher), 3 targets with a missing rating.
target <- rnorm(40, mean = 10, sd = 3)
ratings <- data.frame(r1 = round(target + rnorm(40, sd = 1.5)), r2 = round(target + rnorm(40, sd = 1.5)),
                      r3 = round(target + 1 + rnorm(40, sd = 2)))
ratings$r2[c(5, 17)] <- NA
ratings$r3[31] <- NA
write_data(ratings, "icc_ratings.csv")
icc_refs("icc_ratings", na.omit(ratings))

# --- Cohen's kappa: two raters on a 0-3 ordinal item, 150 rows, 6 with a missing rating.
truth <- sample(0:3, 150, replace = TRUE, prob = c(0.35, 0.3, 0.2, 0.15))
shift <- function(x) pmin(3, pmax(0, x + sample(c(-1, 0, 0, 0, 1), length(x), replace = TRUE)))
kappa_data <- data.frame(rater1 = shift(truth), rater2 = shift(truth))
kappa_data$rater1[c(3, 40, 77)] <- NA
kappa_data$rater2[c(40, 101, 149)] <- NA
write_data(kappa_data, "kappa_ratings.csv")
kd <- na.omit(kappa_data)
ncat <- length(unique(c(kd$rater1, kd$rater2)))
linear <- 1 - abs(outer(1:ncat, 1:ncat, "-")) / (ncat - 1)
quadratic <- cohen.kappa(kd)
lin <- cohen.kappa(kd, w = linear)
add("kappa_ratings", "kappa", "n", nrow(kd))
add("kappa_ratings", "kappa", "unweighted.kappa", quadratic$kappa)
add("kappa_ratings", "kappa", "unweighted.var", quadratic$var.kappa)
add("kappa_ratings", "kappa", "unweighted.lower", quadratic$confid[1, 1])
add("kappa_ratings", "kappa", "unweighted.upper", quadratic$confid[1, 3])
add("kappa_ratings", "kappa", "quadratic.kappa", quadratic$weighted.kappa)
add("kappa_ratings", "kappa", "quadratic.var", quadratic$var.weighted)
add("kappa_ratings", "kappa", "quadratic.lower", quadratic$confid[2, 1])
add("kappa_ratings", "kappa", "quadratic.upper", quadratic$confid[2, 3])
add("kappa_ratings", "kappa", "linear.kappa", lin$weighted.kappa)
add("kappa_ratings", "kappa", "linear.var", lin$var.weighted)
add("kappa_ratings", "kappa", "linear.lower", lin$confid[2, 1])
add("kappa_ratings", "kappa", "linear.upper", lin$confid[2, 3])
# The large-sample variance of weighted kappa as Fleiss, Cohen & Everitt (1969) give it
# (Fleiss, Levin & Paik 2003, eq. 18.16), with wbar_i. = sum_j p.j w_ij and
# wbar_.j = sum_i pi. w_ij. psych codes wbar_.j as p_j. * sum_k w_jk (same for identity
# weights, not otherwise), so its weighted variances differ; kelias gives this one by default.
fce_var <- function(x, w) {
  n <- sum(x); p <- x / n; rs <- rowSums(p); cs <- colSums(p)
  po <- sum(w * p); pe <- sum(w * outer(rs, cs)); k <- (po - pe) / (1 - pe)
  wi <- as.vector(w %*% cs); wj <- as.vector(t(w) %*% rs)
  (sum(p * (w - outer(wi, wj, "+") * (1 - k))^2) - (k - pe * (1 - k))^2) / (n * (1 - pe)^2)
}
counts <- table(factor(kd$rater1, levels = 0:3), factor(kd$rater2, levels = 0:3))
add("kappa_ratings", "kappa", "unweighted.var_fce", fce_var(counts, diag(4)))
add("kappa_ratings", "kappa", "linear.var_fce", fce_var(counts, linear))
add("kappa_ratings", "kappa", "quadratic.var_fce", fce_var(counts, 1 - (outer(1:4, 1:4, "-")^2) / 9))

# --- ROC: 400 rows; score1 an integer total 0-20 (many ties), score2 a finer score that
# shares part of score1's information; 10 rows with a missing score or outcome.
m <- 400
risk <- rnorm(m)
outcome <- rbinom(m, 1, plogis(-1 + 1.1 * risk))
score1 <- pmin(20, pmax(0, round(8 + 3 * risk + rnorm(m, sd = 2.5))))
score2 <- round(0.6 * risk + rnorm(m, sd = 0.9), 2)
band <- cut(score1, breaks = c(-Inf, 5, 10, 15, Inf), labels = c("low", "moderate", "elevated", "high"))
expected <- round(plogis(-2.2 + 0.17 * score1), 4)
site <- sample(c("Vilnius", "Kaunas", "Alytus"), m, replace = TRUE, prob = c(0.5, 0.35, 0.15))
roc_data <- data.frame(score1 = score1, score2 = score2, outcome = outcome, band = band, expected = expected, site = site)
roc_data$score1[c(12, 250)] <- NA
roc_data$score2[c(99, 250, 301)] <- NA
roc_data$outcome[c(7, 123, 222, 333, 388)] <- NA
write_data(roc_data, "roc_scores.csv")

auc_refs <- function(dataset, key, score, outcome) {
  keep <- !is.na(score) & !is.na(outcome)
  r <- roc(outcome[keep], score[keep], direction = "<", levels = c(0, 1), quiet = TRUE)
  ci <- ci.auc(r, method = "delong")
  add(dataset, "auc", paste0(key, ".n"), sum(keep))
  add(dataset, "auc", paste0(key, ".auc"), as.numeric(auc(r)))
  add(dataset, "auc", paste0(key, ".var"), var(r, method = "delong"))
  add(dataset, "auc", paste0(key, ".lower"), ci[1])
  add(dataset, "auc", paste0(key, ".upper"), ci[3])
  invisible(r)
}
auc_refs("roc_scores", "score1", roc_data$score1, roc_data$outcome)
auc_refs("roc_scores", "score2", roc_data$score2, roc_data$outcome)
both <- !is.na(roc_data$score1) & !is.na(roc_data$score2) & !is.na(roc_data$outcome)
r1 <- roc(roc_data$outcome[both], roc_data$score1[both], direction = "<", levels = c(0, 1), quiet = TRUE)
r2 <- roc(roc_data$outcome[both], roc_data$score2[both], direction = "<", levels = c(0, 1), quiet = TRUE)
test <- roc.test(r1, r2, method = "delong", paired = TRUE)
add("roc_scores", "delong_test", "n", sum(both))
add("roc_scores", "delong_test", "auc1", test$estimate[1])
add("roc_scores", "delong_test", "auc2", test$estimate[2])
add("roc_scores", "delong_test", "z", test$statistic)
add("roc_scores", "delong_test", "p", test$p.value)
for (s in unique(na.omit(roc_data$site))) {
  in_site <- roc_data$site == s & !is.na(roc_data$score1) & !is.na(roc_data$outcome)
  auc_refs("roc_scores", paste0("site.", s), roc_data$score1[in_site], roc_data$outcome[in_site])
}

# Wilson intervals (prop.test without continuity correction) of the outcome per band.
for (b in levels(band)) {
  keep <- !is.na(roc_data$band) & roc_data$band == b & !is.na(roc_data$outcome)
  x <- sum(roc_data$outcome[keep])
  pt <- prop.test(x, sum(keep), correct = FALSE)
  add("roc_scores", "wilson", paste0(b, ".n"), sum(keep))
  add("roc_scores", "wilson", paste0(b, ".events"), x)
  add("roc_scores", "wilson", paste0(b, ".lower"), pt$conf.int[1])
  add("roc_scores", "wilson", paste0(b, ".upper"), pt$conf.int[2])
}

# --- Distribution functions.
add("distributions", "pnorm", "-1.5", pnorm(-1.5))
add("distributions", "pnorm", "-8", pnorm(-8))
add("distributions", "qnorm", "0.975", qnorm(0.975))
add("distributions", "qnorm", "1e-10", qnorm(1e-10))
add("distributions", "qnorm", "0.3", qnorm(0.3))
add("distributions", "pt", "2.1|7", pt(2.1, 7))
add("distributions", "pt", "-3.4|2.5", pt(-3.4, 2.5))
add("distributions", "pt", "0.7|120", pt(0.7, 120))
add("distributions", "pf", "3.2|4|20", pf(3.2, 4, 20))
add("distributions", "pf_upper", "11.03|5|15", pf(11.03, 5, 15, lower.tail = FALSE))
add("distributions", "pf_upper", "40|10|90", pf(40, 10, 90, lower.tail = FALSE))
add("distributions", "qf", "0.975|5|15", qf(0.975, 5, 15))
add("distributions", "qf", "0.025|239|1195", qf(0.025, 239, 1195))
add("distributions", "qf", "0.975|5|3.7", qf(0.975, 5, 3.7))
add("distributions", "pchisq", "3.84|1", pchisq(3.84, 1))
add("distributions", "pchisq_upper", "30|4", pchisq(30, 4, lower.tail = FALSE))
add("distributions", "pchisq", "250|300", pchisq(250, 300))
add("distributions", "pbeta", "0.3|2.5|7", pbeta(0.3, 2.5, 7))
add("distributions", "pgamma", "4.2|3.5", pgamma(4.2, 3.5))

write.csv(refs, file.path(out_dir, "references.csv"), row.names = FALSE, quote = FALSE)
cat(sprintf("kelias references: %d values, psych %s, pROC %s, %s\n", nrow(refs), packageVersion("psych"),
            packageVersion("pROC"), R.version.string))
