#!/usr/bin/python3
"""Writes the pose JSON cases and the maps sd-webui-controlnet's drawing rules give for them.

Run with Debian's python3-opencv (4.6) and python3-matplotlib: /usr/bin/python3 make_reference.py
The drawing follows the rules of sd-webui-controlnet's annotator/openpose (draw_poses,
draw_bodypose, draw_handpose, draw_facepose, animalpose.draw_animalpose), written here from their
description, not copied: per list of keypoints, coordinates are normalised when every kept point
has |x| and |y| <= 1 (then times the canvas size), else pixels; person by person: limbs as
ellipse polygons (half-axes length/2 and 4, angle of the limb) filled with the limb colour * 0.6
truncated, joints as radius-4 circles; then hands (20 edges, 2 px lines coloured by
matplotlib's hsv_to_rgb(e/20, 1, 1) * 255, joints radius-4 circles (0, 0, 255)), then the face
(radius-3 white circles); hand/face points whose truncated x or y is not above 0.01 are skipped.
Animals (AP10K): 5 px lines in the AP10K colours, pixel coordinates. Canvas RGB.
The one rule of ours (not sd-webui-controlnet's, whose importer keeps only confidence >= 1): a
point is present when its confidence is > 0 (CMU OpenPose's convention); BODY_25 is mapped to
COCO-18 by dropping mid-hip (8) and the six foot points (19..24).
"""
import json
import math

import cv2
import matplotlib.colors
import numpy as np

LIMBS = [(2, 3), (2, 6), (3, 4), (4, 5), (6, 7), (7, 8), (2, 9), (9, 10), (10, 11), (2, 12), (12, 13),
         (13, 14), (2, 1), (1, 15), (15, 17), (1, 16), (16, 18)]
COLOURS = [(255, 0, 0), (255, 85, 0), (255, 170, 0), (255, 255, 0), (170, 255, 0), (85, 255, 0), (0, 255, 0),
           (0, 255, 85), (0, 255, 170), (0, 255, 255), (0, 170, 255), (0, 85, 255), (0, 0, 255), (85, 0, 255),
           (170, 0, 255), (255, 0, 255), (255, 0, 170), (255, 0, 85)]
HAND = [(0, 1), (1, 2), (2, 3), (3, 4), (0, 5), (5, 6), (6, 7), (7, 8), (0, 9), (9, 10), (10, 11), (11, 12),
        (0, 13), (13, 14), (14, 15), (15, 16), (0, 17), (17, 18), (18, 19), (19, 20)]
ANIMAL = [(1, 2), (2, 3), (1, 3), (3, 4), (4, 9), (9, 10), (10, 11), (4, 6), (6, 7), (7, 8), (4, 5), (5, 15),
          (15, 16), (16, 17), (5, 12), (12, 13), (13, 14)]
ANIMAL_COLOURS = [(255, 255, 255), (100, 255, 100), (150, 255, 255), (100, 50, 255), (50, 150, 200), (0, 255, 255),
                  (0, 150, 0), (0, 0, 255), (0, 0, 150), (255, 50, 255), (255, 0, 255), (255, 0, 0), (150, 0, 0),
                  (255, 255, 100), (0, 150, 0), (255, 255, 0), (150, 150, 150)]
BODY25 = [0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]  # COCO-18 j <- BODY_25 BODY25[j]
EPS = 0.01


def points(flat, W, H):
    """[(x, y) or None] in pixels."""
    trip = [flat[i:i + 3] for i in range(0, len(flat), 3)]
    kept = [(x, y) if c > 0 else None for x, y, c in trip]
    present = [p for p in kept if p is not None]
    if present and all(abs(x) <= 1 and abs(y) <= 1 for x, y in present):
        return [None if p is None else (p[0] * float(W), p[1] * float(H)) for p in kept]
    return [None if p is None else (p[0] * 1.0, p[1] * 1.0) for p in kept]


def body(canvas, kp):
    for (a, b), col in zip(LIMBS, COLOURS):
        p, q = kp[a - 1], kp[b - 1]
        if p is None or q is None:
            continue
        xs = np.array([p[0], q[0]])
        ys = np.array([p[1], q[1]])
        length = math.sqrt((ys[0] - ys[1]) ** 2 + (xs[0] - xs[1]) ** 2)
        ang = math.degrees(math.atan2(ys[0] - ys[1], xs[0] - xs[1]))
        poly = cv2.ellipse2Poly((int(np.mean(xs)), int(np.mean(ys))), (int(length / 2), 4), int(ang), 0, 360, 1)
        cv2.fillConvexPoly(canvas, poly, [int(c * 0.6) for c in col])
    for p, col in zip(kp, COLOURS):
        if p is not None:
            cv2.circle(canvas, (int(p[0]), int(p[1])), 4, col, thickness=-1)


def hand(canvas, kp):
    if not kp:
        return
    for e, (a, b) in enumerate(HAND):
        p, q = kp[a], kp[b]
        if p is None or q is None:
            continue
        x1, y1, x2, y2 = int(p[0]), int(p[1]), int(q[0]), int(q[1])
        if min(x1, y1, x2, y2) > EPS:
            cv2.line(canvas, (x1, y1), (x2, y2), matplotlib.colors.hsv_to_rgb([e / 20.0, 1.0, 1.0]) * 255, thickness=2)
    dots(canvas, kp, 4, (0, 0, 255))


def dots(canvas, kp, r, col):
    for p in kp or []:
        if p is None:
            continue
        x, y = int(p[0]), int(p[1])
        if x > EPS and y > EPS:
            cv2.circle(canvas, (x, y), r, col, thickness=-1)


def animal(canvas, kp):
    for (a, b), col in zip(ANIMAL, ANIMAL_COLOURS):
        p, q = kp[a - 1], kp[b - 1]
        if p is not None and q is not None:
            cv2.line(canvas, (int(p[0]), int(p[1])), (int(q[0]), int(q[1])), col, 5)


def render(doc, W, H):
    canvas = np.zeros((H, W, 3), np.uint8)
    for person in doc.get("people", []):
        flat = person.get("pose_keypoints_2d") or []
        if len(flat) == 75:
            trip = [flat[i:i + 3] for i in range(0, 75, 3)]
            flat = [v for j in BODY25 for v in trip[j]]
        body(canvas, points(flat, W, H))
        for key in ("hand_left_keypoints_2d", "hand_right_keypoints_2d"):
            if person.get(key):
                hand(canvas, points(person[key], W, H))
        if person.get("face_keypoints_2d"):
            dots(canvas, points(person["face_keypoints_2d"], W, H), 3, (255, 255, 255))
    for a in doc.get("animals", []):
        animal(canvas, points(a, W, H))
    return canvas


def skeleton(rng, cx, cy, s, n, conf):
    """n keypoints around (cx, cy) with spread s; about 1 in 6 missing."""
    out = []
    for _ in range(n):
        if rng.rand() < 1 / 6:
            out += [0.0, 0.0, 0.0]
        else:
            out += [round(cx + rng.randn() * s, 3), round(cy + rng.randn() * s, 3), conf(rng)]
    return out


def main():
    rng = np.random.RandomState(17)
    W, H = 640, 427
    one = lambda r: 1.0
    cmu = lambda r: round(0.05 + 0.95 * r.rand(), 3)
    cases = {}
    # sd-webui-controlnet's own export: normalised body, face and hands; two people overlapping.
    people = []
    for cx in (0.42, 0.55):
        people.append({
            "pose_keypoints_2d": skeleton(rng, cx, 0.5, 0.15, 18, one),
            "face_keypoints_2d": skeleton(rng, cx, 0.2, 0.03, 70, one),
            "hand_left_keypoints_2d": skeleton(rng, cx - 0.15, 0.6, 0.04, 21, one),
            "hand_right_keypoints_2d": skeleton(rng, cx + 0.15, 0.6, 0.04, 21, one)})
    cases["sdwebui-normalised"] = {"people": people, "animals": [], "canvas_width": W, "canvas_height": H}
    # pixel coordinates, one hand normalised and one in pixels touching the left border (x = 0 skipped)
    left = skeleton(rng, 30, 300, 25, 21, one)
    left[0:3] = [0.0, 310.0, 1.0]
    people = [{"pose_keypoints_2d": skeleton(rng, 320, 210, 80, 18, one),
               "hand_left_keypoints_2d": left,
               "hand_right_keypoints_2d": skeleton(rng, 0.8, 0.7, 0.05, 21, one)}]
    cases["sdwebui-pixels"] = {"people": people, "canvas_width": W, "canvas_height": H}
    # CMU OpenPose BODY_25 output: pixels, confidences in (0, 1], no canvas size
    people = [{"person_id": [-1],
               "pose_keypoints_2d": skeleton(rng, cx, 220, 70, 25, cmu),
               "face_keypoints_2d": skeleton(rng, cx, 90, 12, 70, cmu),
               "hand_left_keypoints_2d": skeleton(rng, cx - 60, 260, 15, 21, cmu),
               "hand_right_keypoints_2d": skeleton(rng, cx + 60, 260, 15, 21, cmu),
               "pose_keypoints_3d": [], "face_keypoints_3d": [],
               "hand_left_keypoints_3d": [], "hand_right_keypoints_3d": []} for cx in (200, 430)]
    cases["cmu-body25"] = {"version": 1.3, "people": people}
    # CMU OpenPose COCO-18 output
    people = [{"person_id": [-1], "pose_keypoints_2d": skeleton(rng, 330, 200, 90, 18, cmu)}]
    cases["cmu-coco18"] = {"version": 1.3, "people": people}
    # sd-webui-controlnet animal pose (AP10K): pixels
    animals = [skeleton(rng, cx, 230, 60, 17, one) for cx in (180, 450)]
    cases["animals"] = {"version": "ap10k", "animals": animals, "canvas_width": W, "canvas_height": H}
    for name, doc in cases.items():
        with open(name + ".json", "w") as f:
            json.dump(doc, f)
        canvas = render(doc, doc.get("canvas_width", W), doc.get("canvas_height", H))
        cv2.imwrite(name + ".png", cv2.cvtColor(canvas, cv2.COLOR_RGB2BGR))
        print(name, int((canvas.max(axis=2) > 0).sum()), "lit pixels")


if __name__ == "__main__":
    main()
